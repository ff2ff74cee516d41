// TEMP STUB - replaced by wt/kafka merge
namespace Microsoft.Extensions.Hosting;
public static class KafkaExtensions { public static IHostApplicationBuilder AddKafkaClient(this IHostApplicationBuilder b) => b; }
