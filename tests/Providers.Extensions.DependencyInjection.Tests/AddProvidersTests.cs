using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Providers.Tests.Replay;

namespace Providers.Extensions.DependencyInjection.Tests;

public sealed class AddProvidersTests
{
    private static string OllamaSection(Uri baseUri, string planModel = "qwen3", string actModel = "llama3.2") => $$"""
        {
          "Providers": {
            "planModeApiProvider": "ollama",
            "actModeApiProvider": "ollama",
            "ollamaBaseUrl": "{{baseUri}}",
            "planModeOllamaModelId": "{{planModel}}",
            "actModeOllamaModelId": "{{actModel}}",
            "ollamaApiOptionsCtxNum": 4096
          }
        }
        """;

    [Fact]
    public async Task Handlers_of_both_modes_come_from_the_providers_section_and_stream_through_the_named_http_client()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixtures.Raw("ollama/chat-text.ndjson", TestKit.NdJson));
        var configuration = TestKit.Json(OllamaSection(server.BaseUri));
        var requests = new StrongBox<int>();
        var configured = new List<(string Id, Mode Mode, ProviderOptions Options)>();
        var services = new ServiceCollection();
        services.AddProviders(configuration.GetSection("Providers"), ProviderRegistry.Instance)
            .ConfigureOptions((id, mode, options) => configured.Add((id, mode, options)));
        services.AddHttpClient(ProvidersBuilder.HttpClientName("ollama")).AddHttpMessageHandler(() => new CountingHandler(requests));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var act = provider.GetRequiredKeyedService<IApiHandler>(Mode.Act);
        var plan = provider.GetRequiredKeyedService<IApiHandler>(Mode.Plan);
        var chunks = await TestKit.Collect(act);

        Assert.Equal(("llama3.2", "qwen3"), (act.GetModel().Id, plan.GetModel().Id));
        Assert.Same(act, provider.GetRequiredService<IApiHandler>());
        Assert.Same(plan, provider.GetRequiredService<IProviderHandlers>().For(Mode.Plan));
        Assert.Equal(TestKit.SkyText, TestKit.TextOf(chunks));
        Assert.Equal(new UsageChunk(31, 17, TotalCost: 0m), chunks[^1]);
        Assert.Equal(1, requests.Value);
        Assert.Contains("\"model\":\"llama3.2\"", server.Requests[0].Body, StringComparison.Ordinal);
        Assert.Contains("\"num_ctx\":4096", server.Requests[0].Body, StringComparison.Ordinal);
        Assert.Equal([("ollama", Mode.Act), ("ollama", Mode.Plan)], configured.Select(c => (c.Id, c.Mode)));
        Assert.All(configured, c => Assert.Equal(Timeout.InfiniteTimeSpan, c.Options.HttpClient!.Timeout));
    }

    [Fact]
    public async Task A_missing_model_key_fails_host_start_with_the_provider_configuration_exception_naming_it()
    {
        var configuration = TestKit.Json("""
            { "Providers": { "planModeApiProvider": "ollama", "actModeApiProvider": "ollama", "actModeOllamaModelId": "llama3.2" } }
            """);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddProviders(configuration.GetSection("Providers"), ProviderRegistry.Instance);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<ProviderConfigurationException>(() => host.StartAsync());

        Assert.Equal(["planModeOllamaModelId"], error.Keys);
        Assert.Equal("ollama", error.ProviderId);
    }

    [Fact]
    public void A_missing_mode_provider_key_fails_start_up_validation_listing_the_known_providers()
    {
        var configuration = TestKit.Json("""{ "Providers": { "actModeApiProvider": "ollama", "actModeOllamaModelId": "llama3.2" } }""");
        var services = new ServiceCollection();
        services.AddProviders(configuration.GetSection("Providers"), ProviderRegistry.Instance);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<ProviderConfigurationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(["planModeApiProvider"], error.Keys);
        Assert.Contains("one of: " + string.Join(", ", ProviderRegistry.ProviderIds), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_provider_id_fails_start_up_validation_with_the_unknown_provider_exception()
    {
        var configuration = TestKit.Json("""{ "Providers": { "planModeApiProvider": "olama", "actModeApiProvider": "ollama" } }""");
        var services = new ServiceCollection();
        services.AddProviders(configuration.GetSection("Providers"), ProviderRegistry.Instance);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<UnknownProviderException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal("olama", error.ProviderId);
    }

    [Fact]
    public async Task A_chat_client_registered_as_a_provider_is_selected_by_the_mode_key()
    {
        await using var server = await ReplayServer.StartAsync();
        var configuration = TestKit.Json($$"""
            {
              "Providers": {
                "planModeApiProvider": "ollama",
                "ollamaBaseUrl": "{{server.BaseUri}}",
                "planModeOllamaModelId": "qwen3",
                "actModeApiProvider": "gateway"
              }
            }
            """);
        var services = new ServiceCollection();
        services.AddSingleton<IChatClient>(new FixedChatClient("from the gateway"));
        services.AddProviders(configuration.GetSection("Providers"), ProviderRegistry.Instance)
            .AddProvider("gateway", static (sp, settings, mode) => new ChatClientApiHandler(sp.GetRequiredService<IChatClient>(), "gateway-model"));
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var act = provider.GetRequiredKeyedService<IApiHandler>(Mode.Act);
        var chunks = await TestKit.Collect(act);

        Assert.Equal("gateway-model", act.GetModel().Id);
        Assert.Equal([new TextChunk("from the gateway"), new UsageChunk(12, 3)], chunks);
        Assert.Equal("gateway", provider.GetRequiredService<IProviderHandlers>().ProviderIdFor(Mode.Act));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void The_overload_taking_the_registry_members_one_by_one_still_registers_both_modes()
    {
        var configuration = TestKit.Json(OllamaSection(new Uri("http://127.0.0.1:9/")));
        var services = new ServiceCollection();
        services.AddProviders(configuration.GetSection("Providers"), ProviderRegistry.Create, ProviderRegistry.Providers);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(("llama3.2", "qwen3"), (provider.GetRequiredKeyedService<IApiHandler>(Mode.Act).GetModel().Id, provider.GetRequiredKeyedService<IApiHandler>(Mode.Plan).GetModel().Id));
        Assert.Equal(ProviderRegistry.Providers, provider.GetRequiredService<IProviderHandlers>().Providers);
    }

    [Fact]
    public void The_named_client_of_a_provider_sends_through_the_same_primary_handler_settings_as_ProviderHttp()
    {
        var configuration = TestKit.Json(OllamaSection(new Uri("http://127.0.0.1:9/")));
        var services = new ServiceCollection();
        services.AddProviders(configuration.GetSection("Providers"), ProviderRegistry.Instance);
        using var provider = services.BuildServiceProvider();

        HttpMessageHandler? handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(ProvidersBuilder.HttpClientName("ollama"));
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler;
        }

        var sockets = Assert.IsType<SocketsHttpHandler>(handler);
        Assert.Equal(TimeSpan.FromMinutes(5), sockets.PooledConnectionLifetime);
        Assert.Equal(TimeSpan.FromMinutes(1), sockets.PooledConnectionIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), sockets.ConnectTimeout);
        Assert.Equal(System.Net.DecompressionMethods.GZip | System.Net.DecompressionMethods.Deflate | System.Net.DecompressionMethods.Brotli, sockets.AutomaticDecompression);
        Assert.True(sockets.EnableMultipleHttp2Connections);
        Assert.True(sockets.UseProxy);
    }
}
