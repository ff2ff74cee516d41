// Kinder's Stripe fake on loopback: the subset of Stripe's API Kinder uses, with test-mode cards, and every change
// delivered signed to Kinder's webhook. Settings: StripeFake:Port, StripeFake:ApiKey, StripeFake:WebhookUrl,
// StripeFake:WebhookSecret (environment StripeFake__…), development defaults otherwise.
using System.Runtime.InteropServices;
using Kinder.StripeFake;

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
var options = configuration.GetSection(StripeFakeOptions.SectionName).Get<StripeFakeOptions>() ?? new StripeFakeOptions();

await using var fake = await StripeFakeServer.StartAsync(options);
Console.WriteLine($"Kinder Stripe fake on {fake.Url} (API key {options.ApiKey}); webhooks to {options.WebhookUrl ?? "(none)"}");

var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
await stopped.Task;
Console.WriteLine("Stopping the Stripe fake.");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopped.TrySetResult();
}
