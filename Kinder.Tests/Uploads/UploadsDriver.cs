using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kinder.Tests.Uploads;

/// <summary>The presigned flow as a client runs it: sign, PUT straight to the S3 server, complete.</summary>
public static class UploadsDriver
{
    private static readonly HttpClient Storage = new();

    public static async Task<JsonElement> SignAsync(this HttpClient client, string purpose, string contentType, long sizeBytes)
    {
        var response = await client.PostAsJsonAsync("/api/v1/uploads/sign-url", new { purpose, contentType, sizeBytes });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>
    /// PUTs <paramref name="content"/> to the signed URL with the headers sign-url gave. With
    /// <paramref name="asSigned"/> false its length may differ from the signed one: real S3 refuses that, s3rver
    /// (which checks no SigV4 signature) takes it, so complete's own checks can be tested.
    /// </summary>
    public static async Task PutAsync(JsonElement signed, byte[] content, bool asSigned = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, signed.GetProperty("url").GetString())
        {
            Content = new ByteArrayContent(content),
        };
        foreach (var header in signed.GetProperty("headers").EnumerateObject())
        {
            if (header.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                // HttpClient sends the content's own length; the signed one must match it.
                if (asSigned)
                {
                    Assert.Equal(content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), header.Value.GetString());
                }
            }
            else if (header.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(header.Value.GetString()!);
            }
            else
            {
                request.Headers.Add(header.Name, header.Value.GetString());
            }
        }
        using var response = await Storage.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"PUT to storage: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static Task<HttpResponseMessage> CompleteAsync(this HttpClient client, JsonElement signed) =>
        client.PostAsJsonAsync("/api/v1/uploads/complete", new { uploadId = signed.GetProperty("uploadId").GetGuid() });

    /// <summary>Sign, PUT and complete; returns the completed upload.</summary>
    public static async Task<JsonElement> UploadAsync(this HttpClient client, string purpose, string contentType, byte[] content)
    {
        var signed = await client.SignAsync(purpose, contentType, content.Length);
        await PutAsync(signed, content);
        var response = await client.CompleteAsync(signed);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<HttpStatusCode> StorageStatusAsync(string url)
    {
        using var response = await Storage.GetAsync(url);
        return response.StatusCode;
    }

    public static Task<byte[]> DownloadAsync(string url) => Storage.GetByteArrayAsync(url);
}
