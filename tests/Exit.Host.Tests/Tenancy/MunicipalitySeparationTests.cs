using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Exit.Host.Infrastructure.Auth;
using Exit.Host.Infrastructure.Tenancy;
using Exit.Host.Tests.Auth;
using Exit.Host.Tests.Infrastructure;
using Exit.Workflows.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Exit.Host.Tests.Tenancy;

/// <summary>
/// Issue 12's acceptance: staff of municipality <c>aarhus</c> (a worker, coordinator, manager, supervisor and admin,
/// through keys that run in aarhus) call every endpoint and page of <see cref="AccessRules"/> on the resources of
/// municipality <c>default</c> (its citizen, course, workflow instance, task, contact, enquiry, support person,
/// definition, user and API key). A role the endpoint refuses gets 403 (the policy answers before any resource is
/// looked at); a role the endpoint serves gets 404 where the URL names one of default's resources (or a 400/403 that
/// the handler gives before any look-up: see <see cref="RefusedWithoutTelling"/>), and never a body that shows any of
/// default's resources. Every audit entry those calls write is aarhus'; default's audit log shows
/// none of aarhus' users.
/// </summary>
public sealed class MunicipalitySeparationTests(MunicipalitySeparationTests.HostFixture fixture, ITestOutputHelper output)
    : IClassFixture<MunicipalitySeparationTests.HostFixture>
{
    private const string Aarhus = TestApiKeys.OtherMunicipality;

    public static readonly string[] AarhusCallers = [ExitRoles.Worker, ExitRoles.Coordinator, ExitRoles.Manager, ExitRoles.Supervisor, ExitRoles.Admin];

    /// <summary>A host whose municipality <c>default</c> holds one of every kind of resource.</summary>
    public sealed class HostFixture : IAsyncLifetime
    {
        public ExitHostFactory Host { get; } = new();
        public Resources Default { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await CreateMunicipalityAsync(Host, Aarhus, "Aarhus");
            Default = await Resources.CreateInDefaultAsync(Host);
        }

        public Task DisposeAsync()
        {
            Host.Dispose();
            return Task.CompletedTask;
        }
    }

    /// <summary>Ids of default's resources, and texts that only default's data contains.</summary>
    public sealed record Resources(
        string CitizenId, string CitizenAlias, string CourseId, string InstanceId, string TaskId, string ContactId, string EnquiryId,
        string SupportPersonId, string SupportPersonName, string DefinitionId, string VersionId, string UserId, string UserEmail, string ApiKeyId)
    {
        public IEnumerable<string> Markers => [CitizenId, CitizenAlias, CourseId, InstanceId, TaskId, ContactId, EnquiryId, SupportPersonId,
            SupportPersonName, UserId, UserEmail, ApiKeyId];

        public static async Task<Resources> CreateInDefaultAsync(ExitHostFactory host)
        {
            var manager = host.CreateClientAs(ExitRoles.Manager);
            var all = host.CreateClient();
            var worker = TestApiKeys.UserNameFor(ExitRoles.Worker);
            var alias = "Borger i København " + Guid.NewGuid().ToString("N")[..6];
            var citizen = await Created(await manager.PostAsJsonAsync("/api/citizens", new { alias }));
            var citizenId = (string)citizen["id"]!;
            var course = await Created(await manager.PostAsJsonAsync("/api/courses", new { citizenId, worker, goal = "Exit" }));
            var courseId = (string)course["courseId"]!;
            var contact = await Created(await host.CreateClientAs(ExitRoles.Worker).PostAsJsonAsync($"/api/courses/{courseId}/contacts",
                new { kind = "Phone", startedAt = DateTimeOffset.UtcNow.AddMinutes(1), durationMinutes = 10, place = "Other" }));
            var enquiry = await Created(await manager.PostAsJsonAsync("/api/intake", new { receivedOn = DateTime.UtcNow.ToString("yyyy-MM-dd"), channel = "Outreach", anonymous = true }));
            var skpName = "Støtteperson i København " + Guid.NewGuid().ToString("N")[..6];
            var skp = await Created(await manager.PostAsJsonAsync("/api/support-persons", new
            {
                displayName = skpName, team = "Team København", languages = new[] { "dansk" }, agreementStart = DateTime.UtcNow.ToString("yyyy-MM-dd"),
                hoursPerWeek = 3, acuteAvailability = "Telefon", confidentialitySignedOn = DateTime.UtcNow.ToString("yyyy-MM-dd"), status = "Active",
            }));

            var correlationId = "kbh-" + Guid.NewGuid().ToString("N")[..8];
            var started = await all.PostAsJsonAsync("/elsa/api/workflow-definitions/task-then-timer/execute", new { correlationId });
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
            var instanceId = started.Headers.GetValues("x-elsa-workflow-instance-id").Single();
            var tasks = await all.GetFromJsonAsync<JsonObject>($"/api/tasks?correlationId={correlationId}&status=Open");
            var taskId = (string)tasks!["items"]!.AsArray().Single()!["id"]!;
            // Definitions from the template library exist in every municipality under the same id (each its own copy), so
            // default's own resource is a definition only default has.
            var template = await all.GetFromJsonAsync<JsonObject>("/elsa/api/workflow-definitions/by-definition-id/task-then-timer");
            var definitionId = "kbh-only-" + Guid.NewGuid().ToString("N")[..6];
            var model = template!.DeepClone().AsObject();
            model["definitionId"] = definitionId;
            model["name"] = "Kun i København";
            model.Remove("id");
            var saved = await all.PostAsJsonAsync("/elsa/api/workflow-definitions", new JsonObject { ["model"] = model, ["publish"] = true });
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
            var definition = await all.GetFromJsonAsync<JsonObject>($"/elsa/api/workflow-definitions/by-definition-id/{definitionId}");
            var versionId = (string)definition!["id"]!;

            var email = "bruger." + Guid.NewGuid().ToString("N")[..6] + "@kobenhavn.test";
            var user = await Created(await all.PostAsJsonAsync("/api/admin/users", new { email, password = "a long enough password", roles = new[] { ExitRoles.Worker } }));
            var key = await Created(await all.PostAsJsonAsync("/api/admin/api-keys", new { name = "københavns nøgle", roles = new[] { ExitRoles.Coordinator } }));
            return new Resources(citizenId, alias, courseId, instanceId, taskId, Id(contact, "contactId"), Id(enquiry, "enquiryId"),
                Id(skp, "supportPersonId"), skpName, definitionId, versionId, (string)user["id"]!, email, (string)key["id"]!);
        }

        private static string Id(JsonObject created, string other) =>
            (string?)created["id"] ?? (string?)created[other] ?? throw new InvalidOperationException("No id in " + created.ToJsonString());

        private static async Task<JsonObject> Created(HttpResponseMessage response)
        {
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }
    }

    [Fact]
    public async Task AarhusStaff_OnDefaultsResources_AreAlwaysRefused_AndAuditedInAarhus()
    {
        var resources = fixture.Default;
        var failures = new List<string>();
        var report = new StringBuilder();
        var clients = AarhusCallers.ToDictionary(r => r, r => fixture.Host.CreateClientAs(r, Aarhus));
        var refusals = AarhusCallers.ToDictionary(r => r, _ => 0);

        foreach (var (method, pattern, routePattern, acceptsForm) in Rows())
        {
            var rule = AccessRules.Find(method, pattern);
            if (rule is null || rule.Anonymous || rule.Always is not null) continue; // anonymous pages, token endpoint: no resource
            var (url, namesDefaultResource) = Url(routePattern, pattern, resources);
            report.Append($"{method,-6} {pattern,-75}");
            foreach (var role in AarhusCallers)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method == "*" ? "GET" : method), url);
                if (method is "POST" or "PUT" or "PATCH")
                    request.Content = acceptsForm ? new FormUrlEncodedContent([]) : new StringContent("{}", Encoding.UTF8, "application/json");
                using var response = await clients[role].SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                report.Append($" {role}={status}");
                if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound) refusals[role]++;
                var expected = rule.Expected(role);
                if (expected == Access.Forbidden)
                {
                    if (!Refused403(response)) failures.Add($"{method} {pattern} as aarhus {role}: expected 403 (role refused), got {status}");
                    continue;
                }

                // An id the caller typed may come back (a problem naming it; aarhus' own audit log recording the attempt).
                var ownLog = pattern.StartsWith("/api/audit", StringComparison.Ordinal) || pattern.StartsWith("/admin/audit", StringComparison.Ordinal);
                if (!ownLog && resources.Markers.FirstOrDefault(m => !url.Contains(m, StringComparison.Ordinal) && body.Contains(m, StringComparison.Ordinal)) is { } leaked)
                    failures.Add($"{method} {pattern} as aarhus {role}: {status} shows default's '{leaked}'");
                else if (namesDefaultResource && !ownLog && !ReadsNoResource(pattern) && !RefusedWithoutTelling(response.StatusCode))
                    failures.Add($"{method} {pattern} as aarhus {role}: expected 404 for default's resource, got {status}");
            }

            report.AppendLine();
        }

        output.WriteLine(report.ToString());
        await AssertAuditStaysInAarhusAsync(failures, refusals);
        Assert.True(failures.Count == 0, $"{failures.Count} refusals missing:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task TheNationalRole_GetsForbidden_OnEveryEndpointThatServesCitizenData()
    {
        var national = fixture.Host.CreateClientAs(ExitRoles.National);
        var citizenRows = Rows().Where(r => AccessRules.Find(r.Method, r.Pattern) is { Anonymous: false, Always: null } rule
                                            && rule.Roles.Overlaps(ExitRoles.CitizenData) && !rule.Roles.Contains(ExitRoles.National)).ToList();
        Assert.NotEmpty(citizenRows);
        var failures = new List<string>();
        foreach (var (method, pattern, routePattern, acceptsForm) in citizenRows)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method == "*" ? "GET" : method), Url(routePattern, pattern, fixture.Default).Url);
            if (method is "POST" or "PUT") request.Content = acceptsForm ? new FormUrlEncodedContent([]) : new StringContent("{}", Encoding.UTF8, "application/json");
            using var response = await national.SendAsync(request);
            if (!Refused403(response)) failures.Add($"{method} {pattern}: {(int)response.StatusCode}");
        }

        Assert.True(failures.Count == 0, "The national role was not refused:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task AnAarhusAdmin_NeitherSeesNorChangesDefaultsUsers_AndCannotGrantTheNationalRole()
    {
        var admin = fixture.Host.CreateClientAs(ExitRoles.Admin, Aarhus);
        var defaultUser = fixture.Default.UserId;

        var list = await admin.GetStringAsync("/api/admin/users");
        Assert.DoesNotContain(defaultUser, list, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Default.UserEmail, list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync($"/api/admin/users/{defaultUser}/roles", new { roles = new[] { ExitRoles.Admin } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"/api/admin/users/{defaultUser}/unlock", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"/api/admin/users/{defaultUser}/mfa/reset", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/admin/api-keys/{fixture.Default.ApiKeyId}")).StatusCode);
        Assert.DoesNotContain(fixture.Default.ApiKeyId, await admin.GetStringAsync("/api/admin/api-keys"), StringComparison.Ordinal);
        // A key owned by default's user is refused as if the user did not exist.
        var foreignOwner = await admin.PostAsJsonAsync("/api/admin/api-keys", new { name = "fremmed ejer", roles = new[] { ExitRoles.Worker }, ownerUserId = defaultUser });
        Assert.Equal(HttpStatusCode.BadRequest, foreignOwner.StatusCode);

        // What an aarhus admin creates is aarhus': listed there, not in default, and in aarhus in the database.
        var email = "ny." + Guid.NewGuid().ToString("N")[..6] + "@aarhus.test";
        var created = await admin.PostAsJsonAsync("/api/admin/users", new { email, password = "a long enough password", roles = new[] { ExitRoles.Worker } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var newId = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        Assert.Contains(email, await admin.GetStringAsync("/api/admin/users"), StringComparison.Ordinal);
        Assert.DoesNotContain(email, await fixture.Host.CreateClientAs(ExitRoles.Admin).GetStringAsync("/api/admin/users"), StringComparison.Ordinal);
        await using (var scope = fixture.Host.Services.CreateAsyncScope())
            Assert.Equal(Aarhus, await scope.ServiceProvider.GetRequiredService<UserMunicipalities>().OfAsync(newId, CancellationToken.None));

        // The national role is never granted by a municipality's administrator, nor carried by an ownerless key.
        var national = await admin.PutAsJsonAsync($"/api/admin/users/{newId}/roles", new { roles = new[] { ExitRoles.National } });
        Assert.Equal(HttpStatusCode.BadRequest, national.StatusCode);
        Assert.NotNull((await national.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["roles"]);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await admin.PostAsJsonAsync("/api/admin/api-keys", new { name = "national", roles = new[] { ExitRoles.National } })).StatusCode);
    }

    [Fact]
    public async Task TheNationalRole_ListsAndCreatesMunicipalities_WithProblemsNamingEachField()
    {
        var national = fixture.Host.CreateClientAs(ExitRoles.National);

        var bad = await national.PostAsJsonAsync("/api/municipalities", new { id = "Aalborg Kommune", name = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("id") && errors.ContainsKey("name"), errors.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, (await national.PostAsJsonAsync("/api/municipalities", new { id = TenantIds.Templates, name = "Skabeloner" })).StatusCode);

        var id = "odense-" + Guid.NewGuid().ToString("N")[..4];
        Assert.Equal(HttpStatusCode.Created, (await national.PostAsJsonAsync("/api/municipalities", new { id, name = "Odense" })).StatusCode);
        var again = await national.PostAsJsonAsync("/api/municipalities", new { id, name = "Odense igen" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);

        var list = (await national.GetFromJsonAsync<JsonArray>("/api/municipalities"))!;
        Assert.Contains(list, m => (string)m!["id"]! == id && (string)m["name"]! == "Odense");
        Assert.Contains(list, m => (string)m!["id"]! == TenantIds.Default);
        // Nobody else manages municipalities, the first municipality's admin included.
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Host.CreateClientAs(ExitRoles.Admin).GetAsync("/api/municipalities")).StatusCode);
        // The creation is in the national scope's audit log, which the national role reads; no municipality's admin sees it.
        Assert.Contains(id, await national.GetStringAsync("/api/audit?pageSize=500"), StringComparison.Ordinal);
        Assert.DoesNotContain(id, await fixture.Host.CreateClientAs(ExitRoles.Admin).GetStringAsync("/api/audit?pageSize=500"), StringComparison.Ordinal);
    }

    /// <summary>Every audit entry of an aarhus caller is aarhus'; default's audit log names none of them; aarhus' chain holds.</summary>
    private async Task AssertAuditStaysInAarhusAsync(List<string> failures, IReadOnlyDictionary<string, int> refusals)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExitIdentityDbContext>();
        var aarhusNames = AarhusCallers.Select(r => TestApiKeys.UserNameFor(r, Aarhus)).ToList();
        // The one place this test looks across municipalities: to prove no aarhus entry landed elsewhere.
        var entries = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.UserName != null && aarhusNames.Contains(e.UserName)).ToListAsync();
        Assert.NotEmpty(entries); // refusals by policy (403) and by resource checks are audited
        foreach (var misplaced in entries.Where(e => e.TenantId != Aarhus))
            failures.Add($"audit entry {misplaced.Id} ({misplaced.UserName} {misplaced.Action} {misplaced.ResourceType}) is in '{misplaced.TenantId}', not aarhus");
        Assert.Contains(entries, e => e.Outcome == Exit.Host.Infrastructure.Audit.AuditOutcome.Denied);
        // Each 403 and 404 the callers got is a denied entry of theirs (at least: other steps may refuse and log too).
        foreach (var (role, count) in refusals)
        {
            var denied = entries.Count(e => e.UserName == TestApiKeys.UserNameFor(role, Aarhus) && e.Outcome == Exit.Host.Infrastructure.Audit.AuditOutcome.Denied);
            if (denied < count) failures.Add($"aarhus {role} was refused {count} times, its audit log has {denied} denied entries");
        }

        var defaultLog = await fixture.Host.CreateClientAs(ExitRoles.Admin).GetStringAsync("/api/audit?pageSize=500");
        foreach (var name in aarhusNames.Where(n => defaultLog.Contains(n, StringComparison.Ordinal)))
            failures.Add($"default's audit log shows {name}");
        var aarhusLog = await fixture.Host.CreateClientAs(ExitRoles.Admin, Aarhus).GetFromJsonAsync<JsonObject>("/api/audit?pageSize=500");
        Assert.Contains(aarhusLog!["items"]!.AsArray(), i => aarhusNames.Contains((string?)i!["userName"] ?? ""));
        var chain = await fixture.Host.CreateClientAs(ExitRoles.Admin, Aarhus).GetFromJsonAsync<JsonObject>("/api/audit/chain");
        Assert.True((bool)chain!["intact"]!, chain.ToJsonString());
        var defaultChain = await fixture.Host.CreateClientAs(ExitRoles.Admin).GetFromJsonAsync<JsonObject>("/api/audit/chain");
        Assert.True((bool)defaultChain!["intact"]!, defaultChain.ToJsonString());
    }

    /// <summary>
    /// Studio's JavaScript declarations: the same for every definition id (the evaluator's functions), the id is never
    /// looked up, so there is nothing of default's to refuse (the body is still checked for default's markers).
    /// </summary>
    private static bool ReadsNoResource(string pattern) =>
        pattern.StartsWith("/elsa/api/scripting/javascript/type-definitions/", StringComparison.Ordinal);

    /// <summary>
    /// 404 (not found in aarhus) is the answer; a 400 for the test's empty body or a 403 for the caller's role, given
    /// before any resource is looked up, refuses just as well and tells nothing about default's resource. Anything
    /// else (a success, a 409 that knows the resource's state) is a failure.
    /// </summary>
    private static bool RefusedWithoutTelling(HttpStatusCode status) =>
        status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden;

    private static bool Refused403(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains(ExitAuthentication.AccessDeniedPath, StringComparison.Ordinal) == true);

    /// <summary>
    /// Every mapped endpoint and page (Razor pages by their GET: a POST handler without the page's antiforgery token is
    /// refused with 400 before it runs, for every caller alike), reads before changes and the erasing ones last, so a
    /// change that wrongly went through cannot hide what a later read would show.
    /// </summary>
    private IEnumerable<(string Method, string Pattern, RoutePattern RoutePattern, bool AcceptsForm)> Rows() =>
        fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Where(m => m != "HEAD")
                .Select(m => (Method: m, Pattern: AccessRules.Normalise(e.RoutePattern.RawText), e.RoutePattern,
                    AcceptsForm: e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.Contains("application/x-www-form-urlencoded") == true)))
            .DistinctBy(e => (e.Method, e.Pattern))
            .OrderBy(e => Order(e.Method, e.Pattern)).ThenBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal);

    private static int Order(string method, string pattern) => method switch
    {
        "GET" or "*" => 0,
        _ when pattern.Contains("erase", StringComparison.Ordinal) || pattern.Contains("cancel", StringComparison.Ordinal) => 3,
        "DELETE" => 2,
        _ => 1,
    };

    /// <summary>The URL with default's resource ids in it; whether it names one of them.</summary>
    private static (string Url, bool NamesDefaultResource) Url(RoutePattern pattern, string text, Resources r)
    {
        var names = false;
        var url = RouteUrls.Fill(pattern, p =>
        {
            string? value = p.Name switch
            {
                "courseId" => r.CourseId,
                "citizenId" => r.CitizenId,
                "taskId" => r.TaskId,
                "contactId" => r.ContactId,
                "definitionId" => r.DefinitionId,
                "versionId" => r.VersionId,
                "id" when text.StartsWith("/api/tasks", StringComparison.Ordinal) || text.StartsWith("/worker/tasks", StringComparison.Ordinal) => r.TaskId,
                "id" when text.Contains("workflow-instances", StringComparison.Ordinal) || text.Contains("alterations/instances", StringComparison.Ordinal) => r.InstanceId,
                "id" when text.StartsWith("/api/admin/users", StringComparison.Ordinal) => r.UserId,
                "id" when text.StartsWith("/api/admin/api-keys", StringComparison.Ordinal) => r.ApiKeyId,
                "id" when text.StartsWith("/api/intake", StringComparison.Ordinal) => r.EnquiryId,
                "id" when text.StartsWith("/api/support-persons", StringComparison.Ordinal) => r.SupportPersonId,
                "id" when text.StartsWith("/worker/courses", StringComparison.Ordinal) => r.CourseId,
                _ => null,
            };
            if (value is not null)
            {
                names = true;
                return value;
            }

            return p switch
            {
                { IsCatchAll: true } => "none",
                _ when p.ParameterPolicies.Any(x => x.Content == "int") => "1",
                _ when p.ParameterPolicies.Any(x => x.Content == "guid") => Guid.Empty.ToString(),
                { Name: "documentName" } => "v1",
                { Name: "period" } => "Phase1",
                _ => "none",
            };
        });
        // Pages and lists that take the resource in the query string.
        if (text == "/admin/audit/citizen") url += "?citizenId=" + r.CitizenId;
        return (url, names);
    }

    private static async Task CreateMunicipalityAsync(ExitHostFactory host, string id, string name)
    {
        var response = await host.CreateClientAs(ExitRoles.National).PostAsJsonAsync("/api/municipalities", new { id, name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
