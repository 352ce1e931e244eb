namespace Providers.Cli;

/// <summary>The help pages.</summary>
internal static class HelpText
{
    public const string Main = """
        providers: stream answers from LLM providers (Ollama, Anthropic, and every provider registered at build time).

        Usage:
          providers chat [options] [PROMPT]   stream one answer, or chat interactively
          providers list                      every provider and its settings keys
          providers --version                 the version
          providers --help                    this help; 'providers chat --help' for the chat options

        Exit codes: 0 success, 1 provider or network error, 2 bad usage or settings, 130 cancelled (Ctrl+C).
        """;

    public const string Chat = """
        Usage: providers chat [options] [PROMPT]

        Streams one answer to stdout as it arrives. Without PROMPT, reads the prompt from stdin when it is piped,
        or chats interactively (keeping the conversation) when stdin is a terminal.

        Options:
          -p, --provider ID       the provider (see 'providers list'); else the settings' {mode}ModeApiProvider
          -m, --model ID          the model, written to the provider's {mode}Mode...ModelId key
              --mode plan|act     which per-mode settings to use (default act)
              --base-url URL      the provider's base URL key (ollamaBaseUrl, anthropicBaseUrl, openAiBaseUrl...)
              --api-key KEY       the provider's API key; else the settings' key, else its environment variable
                                  (OLLAMA_API_KEY, ANTHROPIC_API_KEY, OPENAI_API_KEY or AZURE_OPENAI_API_KEY, OPENROUTER_API_KEY)
              --system TEXT       the system prompt (default: "You are a helpful assistant.")
              --settings FILE     a flat Cline-style JSON settings file (planModeApiProvider, actModeApiProvider, provider keys)
              --set KEY=VALUE     set any settings key the registry knows; repeatable; an empty VALUE removes the key
              --tools FILE        a JSON array of {"name", "description", "input_schema"} tools the model may call
              --format text|jsonl text for people (default), or one JSON object per chunk
              --history FILE      continue the conversation in FILE (Cline's api_conversation_history.json format);
                                  a prompt is appended as a user message, and may be left out when FILE ends with one
              --save-history FILE write the conversation with the prompt and the answer appended (may be the --history FILE)
          -h, --help              this help

        Text output: reasoning dimmed on a terminal (unless NO_COLOR is set), tool calls once complete, and one line
        on stderr at the end: tokens in/out, cache, cost, time to first token, tokens per second.
        """;
}
