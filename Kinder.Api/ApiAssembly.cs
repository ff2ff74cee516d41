namespace Kinder.Api;

/// <summary>Names this assembly for <c>WebApplicationFactory&lt;ApiAssembly&gt;</c> (each host has its own Program).</summary>
public sealed class ApiAssembly;
