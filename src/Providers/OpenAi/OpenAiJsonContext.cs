using System.Text.Json;
using System.Text.Json.Serialization;

namespace Providers.OpenAi;

/// <summary>The System.Text.Json source-generated serializers of the OpenAI wire formats.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ChatCompletionsRequest), GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(ChatChunk))]
[JsonSerializable(typeof(ChatUsage))]
[JsonSerializable(typeof(ResponsesRequest), GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(ResponsesEvent))]
internal sealed partial class OpenAiJsonContext : JsonSerializerContext;
