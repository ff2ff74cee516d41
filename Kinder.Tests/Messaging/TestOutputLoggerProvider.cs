using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Kinder.Tests.Messaging;

/// <summary>Shows the hosts' logs in a failing test's output.</summary>
public sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, categoryName);

    public void Dispose() { }

    private sealed class TestOutputLogger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}" +
                    (exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message}]"));
            }
            catch (InvalidOperationException)
            {
                // librdkafka may log after the test has finished; xunit refuses output then.
            }
        }
    }
}
