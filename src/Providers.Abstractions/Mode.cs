namespace Providers;

/// <summary>The two modes of a coding agent; a setting marked <see cref="PerModeAttribute"/> has one value for each.</summary>
public enum Mode
{
    /// <summary>Planning: read, think, propose.</summary>
    Plan,

    /// <summary>Acting: edit, run, call tools.</summary>
    Act,
}
