using System.Diagnostics;

namespace Kinder.Core.Messaging;

public static class MessagingTelemetry
{
    public const string ActivitySourceName = "Kinder.Messaging";
    public static readonly ActivitySource Source = new(ActivitySourceName);
}
