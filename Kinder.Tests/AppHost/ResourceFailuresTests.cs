using Aspire.Hosting.ApplicationModel;
using Kinder.AppHost;

namespace Kinder.Tests.AppHost;

/// <summary>Which resource states the AppHost's console reports as failures, and which of a failed resource's lines it shows.</summary>
public sealed class ResourceFailuresTests
{
    [Theory]
    [InlineData("FailedToStart", null, "failed to start")]
    [InlineData("Exited", -1, "exited with code -1")]
    [InlineData("Finished", 3, "exited with code 3")]
    [InlineData("Finished", 0, null)] // the migrator, done
    [InlineData("Exited", 0, null)]
    [InlineData("Running", null, null)]
    [InlineData("Waiting", null, null)]
    public void A_failure_is_a_resource_that_could_not_start_or_exited_with_an_error(string state, int? exitCode, string? expected)
    {
        var snapshot = new CustomResourceSnapshot { ResourceType = "Executable", Properties = [], State = state, ExitCode = exitCode };

        Assert.Equal(expected, ResourceFailures.FailureOf(snapshot));
    }

    [Fact]
    public void The_lines_shown_are_the_last_ones_in_time_order_without_timestamps_or_stack_frames_even_inside_one_entry()
    {
        LogLine[] lines =
        [
            new(1, "2026-12-05T05:00:09.6680000Z Kinder Kafka mock: starting", false),
            new(2, "2026-12-05T05:00:09.7000000Z Unhandled exception. System.Net.Sockets.SocketException (98): Address already in use", true),
            new(3, "2026-12-05T05:00:09.7000000Z    at System.Net.Sockets.Socket.Bind(EndPoint localEP)", true),
            new(4, "2026-12-05T05:00:09.7000000Z --- End of stack trace from previous location ---", true),
            new(1, "2026-12-05T05:00:06.7800000Z [sys] Starting process...", false), // DCP's own lines are numbered apart
        ];

        Assert.Equal(
            ["[sys] Starting process...", "Kinder Kafka mock: starting",
             "Unhandled exception. System.Net.Sockets.SocketException (98): Address already in use"],
            ResourceFailures.ShownLines(lines));
        LogLine[] exception =
        [
            new(1, "Failed to create resource storage\nAspire.Hosting.DistributedApplicationException: s3rver.js is missing: npm install s3rver\n"
                   + "   at Kinder.AppHost.Infrastructure.Local.LocalCommand.FailsWhenMissing()\n--- End of stack trace from previous location ---\n"
                   + "   at Aspire.Hosting.Eventing.DistributedApplicationEventing.PublishAsync()", true),
        ];
        Assert.Equal(["Failed to create resource storage", "Aspire.Hosting.DistributedApplicationException: s3rver.js is missing: npm install s3rver"],
            ResourceFailures.ShownLines(exception));
        var many = Enumerable.Range(1, 20).Select(i => new LogLine(i, $"2026-12-05T05:00:{i:00}.0000000Z line {i}", false));
        Assert.Equal(Enumerable.Range(13, 8).Select(i => $"line {i}"), ResourceFailures.ShownLines(many));
    }
}
