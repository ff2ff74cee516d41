// An SMTP server on loopback that accepts every message and writes it to a directory as an .eml file:
// where the local runner's services send their mail.
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Kinder.SmtpSink;

SinkArguments arguments;
try
{
    arguments = SinkArguments.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(SinkArguments.Usage);
    return 2;
}

SmtpSinkServer sink;
try
{
    sink = SmtpSinkServer.Start(new SmtpSinkOptions { Port = arguments.Port, Directory = Path.GetFullPath(arguments.Directory) });
}
catch (SocketException exception)
{
    Console.Error.WriteLine($"Cannot listen on 127.0.0.1:{arguments.Port}: {exception.Message}");
    return 1;
}

await using (sink)
{
    sink.MessageReceived += message => Console.WriteLine(
        $"to={string.Join(",", message.Recipients)} subject=\"{message.Subject}\" file={message.FilePath}");
    sink.Error += error => Console.Error.WriteLine($"error: {error}");
    Console.WriteLine($"Kinder SMTP sink: accepting every message on {sink.Host}:{sink.Port}, writing each to {sink.Options.Directory}");

    var stopped = new TaskCompletionSource<PosixSignal>(TaskCreationOptions.RunContinuationsAsynchronously);
    void Stop(PosixSignalContext context)
    {
        context.Cancel = true; // we exit by ourselves, after closing the connections
        stopped.TrySetResult(context.Signal);
    }
    using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

    var signal = await stopped.Task;
    Console.WriteLine($"{signal}: stopping the SMTP sink ({sink.Messages.Count} message(s) received).");
}
return 0;
