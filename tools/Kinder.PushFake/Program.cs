// Kinder's push fake on loopback: FCM HTTP v1 (with Google's OAuth2 token endpoint) and APNs over HTTP/2, checking
// auth, payload and tokens as the services do and recording each accepted push. Settings: PushFake:Port,
// PushFake:ApnsPort, PushFake:FcmPublicKey, PushFake:ApnsPublicKey, PushFake:Folder, … (environment PushFake__…).
using System.Runtime.InteropServices;
using Kinder.PushFake;

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
var options = configuration.GetSection(PushFakeOptions.SectionName).Get<PushFakeOptions>() ?? new PushFakeOptions();

await using var fake = await PushFakeServer.StartAsync(options);
Console.WriteLine($"Kinder push fake: FCM and GET /pushes on {fake.Url}, APNs (HTTP/2) on {fake.ApnsUrl}; " +
    $"pushes written to {(string.IsNullOrEmpty(options.Folder) ? "(memory only)" : Path.GetFullPath(options.Folder))}");

var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
await stopped.Task;
Console.WriteLine("Stopping the push fake.");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopped.TrySetResult();
}
