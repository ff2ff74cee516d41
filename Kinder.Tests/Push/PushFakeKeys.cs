using System.Security.Cryptography;
using Kinder.PushFake;

namespace Kinder.Tests.Push;

/// <summary>
/// An FCM service-account key and an APNs key made for one test stack, as the AppHost makes them per run: the fake gets
/// the public halves (<see cref="FakeOptions"/>), Workers the private ones (<see cref="WorkersSettings"/>).
/// </summary>
public sealed class PushFakeKeys : IDisposable
{
    public const string BundleId = "app.kinder.tests";
    public const string ClientEmail = "workers@kinder-tests.iam.gserviceaccount.com";
    private readonly RSA fcmKey = RSA.Create(2048);
    private readonly ECDsa apnsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public PushFakeOptions FakeOptions() => new()
    {
        ProjectId = "kinder-tests",
        FcmClientEmail = ClientEmail,
        FcmPublicKey = fcmKey.ExportSubjectPublicKeyInfoPem(),
        ApnsPublicKey = apnsKey.ExportSubjectPublicKeyInfoPem(),
        ApnsKeyId = "KEY1234567",
        ApnsTeamId = "TEAM123456",
        ApnsBundleId = BundleId,
    };

    /// <summary>The Workers settings for a fake: what the AppHost passes as <c>Push__…</c>.</summary>
    public Dictionary<string, string?> WorkersSettings(PushFakeServer fake) => new()
    {
        ["Push:Fcm:BaseUrl"] = fake.Url,
        ["Push:Fcm:TokenUri"] = fake.TokenUri,
        ["Push:Fcm:ProjectId"] = fake.Options.ProjectId,
        ["Push:Fcm:ClientEmail"] = ClientEmail,
        ["Push:Fcm:PrivateKey"] = fcmKey.ExportPkcs8PrivateKeyPem(),
        ["Push:Apns:BaseUrl"] = fake.ApnsUrl,
        ["Push:Apns:KeyId"] = fake.Options.ApnsKeyId,
        ["Push:Apns:TeamId"] = fake.Options.ApnsTeamId,
        ["Push:Apns:PrivateKey"] = apnsKey.ExportPkcs8PrivateKeyPem(),
        ["Push:Apns:BundleId"] = BundleId,
    };

    public void Dispose()
    {
        fcmKey.Dispose();
        apnsKey.Dispose();
    }
}
