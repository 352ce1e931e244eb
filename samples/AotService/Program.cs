using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Providers;

// Usage: AotService OLLAMA_BASE_URL MODEL PROMPT
// Configuration -> AddProviders (generated binder, no reflection) -> the Act-mode handler as an IChatClient.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: AotService OLLAMA_BASE_URL MODEL PROMPT");
    return 2;
}

var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Providers:planModeApiProvider"] = "ollama",
        ["Providers:actModeApiProvider"] = "ollama",
        ["Providers:ollamaBaseUrl"] = args[0],
        ["Providers:planModeOllamaModelId"] = args[1],
        ["Providers:actModeOllamaModelId"] = args[1],
    })
    .Build();

var services = new ServiceCollection();
services.AddProviders(configuration.GetSection("Providers"), ProviderRegistry.Instance);
await using var provider = services.BuildServiceProvider();

var handler = provider.GetRequiredKeyedService<IApiHandler>(Mode.Act);
using var client = handler.AsChatClient("ollama");
var endsWithNewLine = true;
await foreach (var update in client.GetStreamingResponseAsync(args[2]))
{
    Console.Write(update.Text);
    endsWithNewLine = update.Text.Length == 0 ? endsWithNewLine : update.Text.EndsWith('\n');
}

if (!endsWithNewLine)
{
    Console.WriteLine();
}

return 0;
