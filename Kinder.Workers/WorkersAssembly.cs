namespace Kinder.Workers;

/// <summary>Names this assembly for <c>WebApplicationFactory&lt;WorkersAssembly&gt;</c> (each host has its own Program).</summary>
public sealed class WorkersAssembly;
