using System.Globalization;
using System.Security.Cryptography;
using Kinder.Core;

namespace Kinder.AppHost.Infrastructure;

/// <summary>
/// Where Workers send pushes. Running here with <c>Kinder:Push=fake</c> (the default), the push fake
/// (tools/Kinder.PushFake) runs as the <c>push</c> resource — FCM on one port, APNs over HTTP/2 on the next — with
/// an FCM service-account key and an APNs <c>.p8</c> key generated for the run (the fake gets the public halves), and
/// writes each accepted push under <c>.kinder/push/</c>; with <c>Kinder:Push=providers</c>, and always in a published
/// deployment, Workers call FCM and APNs themselves with the <c>push-*</c> parameters.
/// </summary>
internal sealed record PushResources(IResourceBuilder<ProjectResource>? Fake, IReadOnlyDictionary<string, object> Environment)
{
    public const string ApnsEndpointName = "apns";
    private const string ProjectId = "kinder-local";
    private const string ClientEmail = "workers@kinder-local.iam.gserviceaccount.com";
    private const string BundleId = "app.kinder.local";

    public static PushResources Add(IDistributedApplicationBuilder builder, KinderSettings settings)
    {
        if (!builder.ExecutionContext.IsRunMode || settings.Push != "fake")
        {
            IResourceBuilder<ParameterResource> Parameter(string name, string description, bool secret = false) =>
                builder.AddParameter(name, secret).WithDescription(description);
            return new PushResources(null, new Dictionary<string, object>
            {
                ["Push__Fcm__ProjectId"] = Parameter("push-fcm-project-id", "The Firebase project id (the service account key's project_id)."),
                ["Push__Fcm__ClientEmail"] = Parameter("push-fcm-client-email", "The service account key's client_email."),
                ["Push__Fcm__PrivateKey"] = Parameter("push-fcm-private-key", "The service account key's private_key (PEM).", secret: true),
                ["Push__Apns__KeyId"] = Parameter("push-apns-key-id", "The APNs .p8 key's id."),
                ["Push__Apns__TeamId"] = Parameter("push-apns-team-id", "The Apple developer team id."),
                ["Push__Apns__PrivateKey"] = Parameter("push-apns-private-key", "The APNs .p8 key's content (PEM).", secret: true),
                ["Push__Apns__BundleId"] = Parameter("push-apns-bundle-id", "The app's bundle id (apns-topic)."),
            });
        }

        // Per run, never persisted: nothing outside this run trusts them.
        using var rsa = RSA.Create(2048);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyId = Convert.ToHexString(RandomNumberGenerator.GetBytes(5));
        var teamId = Convert.ToHexString(RandomNumberGenerator.GetBytes(5));
        var fcmPrivateKey = builder.AddParameter("push-fcm-private-key", rsa.ExportPkcs8PrivateKeyPem(), secret: true)
            .ExcludeFromManifest();
        var apnsPrivateKey = builder.AddParameter("push-apns-private-key", ecdsa.ExportPkcs8PrivateKeyPem(), secret: true)
            .ExcludeFromManifest();
        var (port, apnsPort) = (settings.Ports.Push, settings.Ports.PushApns);
        var fake = builder.AddProject<Projects.Kinder_PushFake>(KinderResources.Push, launchProfileName: null)
            .WithHttpEndpoint(port: port, targetPort: port, name: EndpointNames.Http, isProxied: false)
            .WithHttpEndpoint(port: apnsPort, targetPort: apnsPort, name: ApnsEndpointName, isProxied: false)
            .WithEnvironment("PushFake__Port", port.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("PushFake__ApnsPort", apnsPort.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("PushFake__ProjectId", ProjectId)
            .WithEnvironment("PushFake__FcmClientEmail", ClientEmail)
            .WithEnvironment("PushFake__FcmPublicKey", rsa.ExportSubjectPublicKeyInfoPem())
            .WithEnvironment("PushFake__ApnsPublicKey", ecdsa.ExportSubjectPublicKeyInfoPem())
            .WithEnvironment("PushFake__ApnsKeyId", keyId)
            .WithEnvironment("PushFake__ApnsTeamId", teamId)
            .WithEnvironment("PushFake__ApnsBundleId", BundleId)
            .WithEnvironment("PushFake__Folder", Path.Combine(settings.StateDirectory, "push"))
            .WithHttpHealthCheck("/", endpointName: EndpointNames.Http)
            .WithUrlForEndpoint(EndpointNames.Http, url => url.DisplayText = "Pushes (GET /pushes)")
            .WithIconName("Alert")
            .ExcludeFromManifest();
        var fcm = fake.GetEndpoint(EndpointNames.Http);
        var tokenUri = ReferenceExpression.Create($"{fcm}/token");
        // The audience Workers sign their assertion for is the address they are given, which the fake must expect.
        fake.WithEnvironment("PushFake__TokenUri", tokenUri);
        return new PushResources(fake, new Dictionary<string, object>
        {
            ["Push__Fcm__BaseUrl"] = fcm,
            ["Push__Fcm__TokenUri"] = tokenUri,
            ["Push__Fcm__ProjectId"] = ProjectId,
            ["Push__Fcm__ClientEmail"] = ClientEmail,
            ["Push__Fcm__PrivateKey"] = fcmPrivateKey,
            ["Push__Apns__BaseUrl"] = fake.GetEndpoint(ApnsEndpointName),
            ["Push__Apns__KeyId"] = keyId,
            ["Push__Apns__TeamId"] = teamId,
            ["Push__Apns__PrivateKey"] = apnsPrivateKey,
            ["Push__Apns__BundleId"] = BundleId,
        });
    }

    /// <summary>The push settings under the names Workers bind (<c>Push:Fcm:…</c>, <c>Push:Apns:…</c>).</summary>
    public IResourceBuilder<ProjectResource> Configure(IResourceBuilder<ProjectResource> service)
    {
        foreach (var (name, value) in Environment)
        {
            _ = value switch
            {
                string text => service.WithEnvironment(name, text),
                IResourceBuilder<ParameterResource> parameter => service.WithEnvironment(name, parameter),
                EndpointReference endpoint => service.WithEnvironment(name, endpoint),
                ReferenceExpression expression => service.WithEnvironment(name, expression),
                _ => throw new InvalidOperationException($"{name}: unexpected {value.GetType()}"),
            };
        }
        return Fake is null ? service : service.WaitFor(Fake);
    }
}
