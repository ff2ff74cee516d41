namespace Kinder.Realtime;

/// <summary>Names this assembly for <c>WebApplicationFactory&lt;RealtimeAssembly&gt;</c> (each host has its own Program).</summary>
public sealed class RealtimeAssembly;
