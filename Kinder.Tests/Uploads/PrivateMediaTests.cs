using System.Net;
using System.Text;
using System.Web;
using ImageMagick;
using Kinder.Core.Chat;
using Kinder.Core.Uploads;
using Kinder.Tests.Chat;
using Kinder.Tests.Events;
using Kinder.Tests.Infrastructure;
using Kinder.Tests.Storage;
using Microsoft.AspNetCore.Hosting;

namespace Kinder.Tests.Uploads;

/// <summary>The Api with a signed-URL lifetime of its own, so the test can see it is the one used.</summary>
public sealed class PrivateMediaApiFactory : ApiFactory
{
    public const int SignedUrlSeconds = 120;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Storage:SignedUrlLifetime", TimeSpan.FromSeconds(SignedUrlSeconds).ToString());
    }
}

/// <summary>
/// Chat attachments and event images are read through short-lived signed URLs handed out after the access check, and
/// an image's original (EXIF, GPS) is never handed out at all. s3rver serves anything unsigned too, so what is tested
/// is what the Api hands out (README, Storage).
/// </summary>
public sealed class PrivateMediaTests(PrivateMediaApiFactory api) : IClassFixture<PrivateMediaApiFactory>
{
    [Fact]
    public async Task An_image_upload_answers_with_signed_urls_of_its_renditions_never_of_the_original()
    {
        var client = api.CreateClientFor(await api.CreateUserAsync());

        var upload = await client.UploadAsync("chat_attachment", "image/jpeg", TestImages.JpegWithGpsExif());

        var key = upload.GetProperty("key").GetString()!;
        var urls = upload.GetProperty("displayUrls").EnumerateObject().Select(p => p.Value.GetString()!)
            .Append(upload.GetProperty("url").GetString()!).ToList();
        Assert.All(urls, url =>
        {
            AssertSignedFor(url);
            Assert.DoesNotContain(Uri.EscapeDataString(key), url);
            Assert.DoesNotContain(key + "?", url);
        });
        Assert.Contains(UploadKeys.DisplayKey(key, UploadKeys.LargeWidth), upload.GetProperty("url").GetString()!);
    }

    [Fact]
    public async Task Attachments_in_history_are_short_lived_signed_urls_and_a_former_member_gets_none()
    {
        var (alice, aliceClient) = await api.CreateChatUserAsync("Alice");
        var (bob, bobClient) = await api.CreateChatUserAsync("Bob");
        var (carol, carolClient) = await api.CreateChatUserAsync("Carol");
        var conversationId = await aliceClient.GroupAsync("Plans", bob.Id, carol.Id);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% the plan\n%%EOF\n");
        var upload = await aliceClient.UploadAsync("chat_attachment", "application/pdf", pdf);
        await PersistAttachmentMessageAsync(conversationId, alice.Id, upload.GetProperty("key").GetString()!, pdf.Length);

        var history = await (await bobClient.GetAsync($"/api/v1/conversations/{conversationId}/messages")).ReadJsonAsync();

        var url = history.GetProperty("items")[0].GetProperty("attachments")[0].GetProperty("url").GetString()!;
        AssertSignedFor(url);
        Assert.Equal(pdf, await UploadsDriver.DownloadAsync(url));
        (await aliceClient.DeleteAsync($"/api/v1/conversations/{conversationId}/members/{carol.Id}")).EnsureSuccessStatusCode();
        var formerMember = await carolClient.GetAsync($"/api/v1/conversations/{conversationId}/messages");
        Assert.Equal(HttpStatusCode.NotFound, formerMember.StatusCode);
        Assert.DoesNotContain("X-Amz-Signature", await formerMember.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_private_events_images_are_signed_urls_and_an_outsider_gets_none()
    {
        var organizer = api.CreateClientFor(await api.CreateUserAsync());
        var upload = await organizer.UploadAsync("event_image", "image/png", TestImages.Solid(MagickFormat.Png, 350));
        var body = EventsDriver.ValidEvent(visibility: "private");
        body["imageKeys"] = new[] { upload.GetProperty("key").GetString() };

        var created = await organizer.CreateEventAsync(body);

        AssertSignedFor(created.GetProperty("imageUrls")[0].GetString()!);
        var outsider = api.CreateClientFor(await api.CreateUserAsync());
        var response = await outsider.GetAsync($"/api/v1/events/{created.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("X-Amz-Signature", await response.Content.ReadAsStringAsync());
    }

    /// <summary>A SigV4 query-signed GET that expires after the configured lifetime.</summary>
    private static void AssertSignedFor(string url)
    {
        var query = HttpUtility.ParseQueryString(new Uri(url).Query);
        Assert.False(string.IsNullOrEmpty(query["X-Amz-Signature"]), $"Not a signed URL: {url}");
        // The SDK counts the lifetime from its clock-skew-corrected now (the store's Date header has whole seconds),
        // so the configured lifetime can come out one second longer.
        Assert.InRange(int.Parse(query["X-Amz-Expires"]!, System.Globalization.CultureInfo.InvariantCulture),
            PrivateMediaApiFactory.SignedUrlSeconds, PrivateMediaApiFactory.SignedUrlSeconds + 1);
    }

    private async Task PersistAttachmentMessageAsync(Guid conversationId, Guid senderId, string key, long size)
    {
        await using var db = TestDatabases.CreateContext(api.DatabaseConnectionString);
        await using var transaction = await db.Database.BeginTransactionAsync();
        var conversation = await db.LockConversationAsync(conversationId, CancellationToken.None);
        var clientMessageId = Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        db.Messages.Add(new Message
        {
            Id = MessageIds.For(conversationId, senderId, clientMessageId),
            ConversationId = conversationId,
            Seq = ++conversation.LastSeq,
            SenderId = senderId,
            ClientMessageId = clientMessageId,
            Type = MessageType.File,
            Attachments = [new MessageAttachment(key, "application/pdf", size)],
            CreatedAt = now,
        });
        conversation.LastActivityAt = now;
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }
}
