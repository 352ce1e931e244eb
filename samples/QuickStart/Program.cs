using System.Diagnostics;
using Providers;
using QuickStart;

// A local server on 127.0.0.1 replays a recorded OpenRouter stream: no API key, no network needed.
var recording = Path.Combine(AppContext.BaseDirectory, "recorded", "chat-reasoning-tool-call.sse");
await using var server = await LocalReplayServer.StartAsync(recording);
Console.WriteLine($"Local replay server on {server.BaseUrl} serving the recorded stream {Path.GetFileName(recording)}");
Console.WriteLine("(it answers the first request with 503 and Retry-After: 1, so you will see one retry).");
Console.WriteLine();

// Flat settings, as in a Cline settings file; the generated binder maps them to CompatibleChatOptions for Act mode.
var settings = ProviderSettings.Parse($$"""
    {
      "actModeApiProvider": "compatible-chat",
      "compatibleChatBaseUrl": "{{server.BaseUrl}}",
      "actModeCompatibleChatModelId": "anthropic/claude-sonnet-4.5"
    }
    """);

Console.WriteLine("Providers in the generated registry:");
foreach (var provider in ProviderRegistry.Providers)
{
    Console.WriteLine($"  {provider.Id,-16} {provider.DisplayName}");
}

Console.WriteLine();

// The registry creates the handler from the settings; `configure` sets what settings cannot hold, such as callbacks.
var handler = ProviderRegistry.Build(settings, Mode.Act, configure: options =>
    options.OnRetryAttempt = (attempt, max, delay, error) =>
        Console.WriteLine($"  retrying in {delay.TotalSeconds:0.0} s (attempt {attempt} of {max}): {error.Message}"));
Console.WriteLine($"Streaming from '{settings.ProviderIdFor(Mode.Act)}' with model {handler.GetModel().Id}:");

var clock = Stopwatch.StartNew();
var history = new List<ChatMessage> { ChatMessage.User("What is in src?") };

// The builder turns the chunks into the assistant message to append (reasoning state and whole tool calls included)
// and sums the usage increments.
var answer = new AssistantMessageBuilder();
await foreach (var chunk in handler.CreateMessageAsync("You are a coding assistant.", history))
{
    answer.Add(chunk);
    switch (chunk)
    {
        case ReasoningChunk reasoning when reasoning.Reasoning.Length > 0:
            Console.WriteLine($"  reasoning: {reasoning.Reasoning}");
            break;
        case TextChunk text:
            Console.WriteLine($"  text:      {text.Text}");
            break;
    }
}

foreach (var call in answer.ToolCalls)
{
    Console.WriteLine($"  tool call: {call.Name}({call.Input.GetRawText()})  [id {call.Id}]");
}

if (answer.Usage is { } usage)
{
    Console.WriteLine($"  usage:     {usage.InputTokens} input, {usage.OutputTokens} output tokens, ${usage.TotalCost:0.000000}");
}

// The next turn: history.Add(answer.Build()!), then a user message with a ToolResultBlock per call, then send again.
Console.WriteLine();
Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:0.0} s.");
