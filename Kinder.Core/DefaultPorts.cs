namespace Kinder.Core;

/// <summary>
/// The host ports a local stack listens on unless <c>Kinder:Ports:*</c> says otherwise: the AppHost's defaults, and
/// where the benchmarks look for the stack. Fixed, so clients, the README's examples and a psql session keep working
/// across restarts. All sit below 10000: a port in the kernel's ephemeral range (Linux: 32768 up) can be the local end
/// of any outgoing connection when the broker or the database binds it, and Aspire's DCP picks the ports of services it
/// starts from 10000 up to that range (as <see cref="LocalPorts"/> does from 20000).
/// </summary>
public static class DefaultPorts
{
    public const int Api = 5080;
    public const int Realtime = 5081;
    public const int MailInbox = 5088;
    public const int Postgres = 7432;
    public const int Redis = 7379;
    public const int Kafka = 7092;
    public const int Smtp = 7025;
    public const int Storage = 7900;
    public const int Stripe = 5090;
    public const int Push = 5091;
    public const int PushApns = 5092;
}
