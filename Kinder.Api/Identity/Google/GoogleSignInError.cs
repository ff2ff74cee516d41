using Kinder.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kinder.Api.Identity.Google;

/// <summary>Why a Google sign-in was refused, as the problem the client gets.</summary>
public sealed record GoogleSignInError(int Status, string Code, string Detail)
{
    public ProblemHttpResult ToProblem() => Problems.Create(Status, Code, Detail, "Google sign-in failed.");
}
