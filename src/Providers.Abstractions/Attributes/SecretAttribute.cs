namespace Providers;

/// <summary>
/// The option holds a secret: tools never print it. Properties named like <c>ApiKey</c>, <c>Token</c>, <c>Secret</c>
/// or <c>Password</c> are secrets without it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class SecretAttribute : Attribute;
