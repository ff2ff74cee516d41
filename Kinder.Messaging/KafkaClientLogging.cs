using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Kinder.Messaging;

/// <summary>Sends librdkafka's own log lines and error events to <see cref="ILogger"/> instead of stderr.</summary>
internal static class KafkaClientLogging
{
    public static void Log(ILogger logger, LogMessage message) =>
        logger.Log(ToLogLevel(message.Level), "librdkafka {Facility} [{ClientName}]: {Message}",
            message.Facility, message.Name, message.Message);

    // Most librdkafka errors are transient (a broker went away) and librdkafka recovers by itself.
    public static void Error(ILogger logger, Error error) =>
        logger.Log(error.IsFatal ? LogLevel.Critical : LogLevel.Warning, "Kafka client error {ErrorCode}: {Reason}",
            error.Code, error.Reason);

    private static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };
}
