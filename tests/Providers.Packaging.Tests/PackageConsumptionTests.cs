using System.Diagnostics;
using System.Text;

namespace Providers.Packaging.Tests;

/// <summary>
/// Packs Providers.Abstractions and Providers to a local folder, creates a fresh console application that restores
/// them from it, declares its own provider and runs: the generator and analyzers must work from the package exactly
/// as in the repository, including a diagnostic on a deliberate mistake.
/// </summary>
public sealed class PackageConsumptionTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("providers-pack-").FullName;

    [Fact]
    public async Task Fresh_application_restores_the_packages_generates_its_registry_runs_and_reports_a_mistake()
    {
        var root = RepositoryRoot();
        var feed = Path.Combine(_work, "feed");
        var version = "0.1.0-ci." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
        // ReadyToRun images for this machine's runtime only: the other runtimes' packs are a download CI can skip.
        var rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        foreach (var project in new[] { "src/Providers.Abstractions", "src/Providers" })
        {
            var pack = await DotnetAsync(root, "pack", Path.Combine(root, project), "-c", "Release", "-o", feed, $"-p:Version={version}", $"-p:ReadyToRunPackageRuntimes={rid}");
            Assert.True(pack.ExitCode == 0, pack.Output);
        }

        Assert.True(File.Exists(Path.Combine(feed, $"Providers.Abstractions.{version}.nupkg")));
        Assert.True(File.Exists(Path.Combine(feed, $"Providers.{version}.nupkg")));
        foreach (var id in new[] { "Providers.Abstractions", "Providers" })
        {
            using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.nupkg"));
            var entries = package.Entries.Select(e => e.FullName).Where(n => n.EndsWith(".dll", StringComparison.Ordinal) && !n.StartsWith("analyzers/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
            Assert.Equal([$"lib/net10.0/{id}.dll", $"runtimes/{rid}/lib/net10.0/{id}.dll"], entries);
        }

        var app = Path.Combine(_work, "app");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local-feed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{Path.Combine(_work, "packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Providers" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using System.Runtime.CompilerServices;
            using Providers;

            var settings = ProviderSettings.Parse("{ \"actModeApiProvider\": \"echo-app\", \"actModeEchoAppGreeting\": \"hello from the package\" }");
            // The host must pick the package's ReadyToRun copies for this runtime over the IL ones.
            Console.WriteLine(typeof(Providers.OpenAi.OpenAiHandler).Assembly.Location.Replace('\\', '/'));
            Console.WriteLine(typeof(ProviderSettings).Assembly.Location.Replace('\\', '/'));
            Console.WriteLine(string.Join(",", ProviderRegistry.ProviderIds));
            await foreach (var chunk in ProviderRegistry.Build(settings, Mode.Act).CreateMessageAsync("system", [ChatMessage.User("hi")]))
            {
                Console.WriteLine(((TextChunk)chunk).Text);
            }

            public sealed class EchoAppOptions : ProviderOptions
            {
                [PerMode] public string Greeting { get; set; } = "";
            }

            [Provider("echo-app")]
            [WithRetry(MaxRetries = 1)]
            public sealed partial class EchoAppHandler(EchoAppOptions options) : IApiHandler
            {
                public ApiHandlerModel GetModel() => new("echo", new ModelInfo());

                private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, [EnumeratorCancellation] CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    yield return new TextChunk(options.Greeting);
                }
            }
            """);

        var run = await DotnetAsync(app, "run", "--project", app);
        Assert.True(run.ExitCode == 0, run.Output);
        var lines = run.Stdout.ReplaceLineEndings("\n").Split('\n');
        Assert.EndsWith($"/runtimes/{rid}/lib/net10.0/Providers.dll", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"/runtimes/{rid}/lib/net10.0/Providers.Abstractions.dll", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("aihubmix,anthropic,asksage,baseten,bedrock,cerebras,chutes,claude-code,cline,deepseek,dify,doubao,echo-app,fireworks,gemini,groq,hicap,huawei-cloud-maas,huggingface,litellm,lmstudio,minimax,mistral,moonshot,nebius,nousresearch,oca,ollama,openai,openai-codex,openai-native,openrouter,poolside,qwen,qwen-code,requesty,sambanova,sapaicore,tencent-tokenhub,together,v0,vercel-ai-gateway,vertex,wandb,xai,xiaomi,zai,zai-coding-plan\nhello from the package\n", run.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(app, "Mistake.cs"), """
            using Providers;

            [Provider("Echo App 2")]
            public sealed class Mistake(EchoAppOptions options) : IApiHandler
            {
                public ApiHandlerModel GetModel() => new(options.Greeting, new ModelInfo());
                public IAsyncEnumerable<ApiStreamChunk> CreateMessageAsync(string s, IReadOnlyList<ChatMessage> m, IReadOnlyList<ToolDefinition>? t = null, CancellationToken c = default) => throw new NotSupportedException();
            }
            """);
        var build = await DotnetAsync(app, "build", app);
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error PRV0002", build.Output, StringComparison.Ordinal);
        Assert.Contains("'Echo App 2'", build.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Generators.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Generators.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Stdout, string Output)> DotnetAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A pack also compiles the ReadyToRun image; a loaded machine has been seen to need more than 8 minutes for it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await process.WaitForExitAsync(timeout.Token);
        var output = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        return (process.ExitCode, await stdout, $"dotnet {string.Join(' ', arguments)} exited {process.ExitCode}:\n{output}");
    }
}
