namespace ServerlessFedi.Tests.Deployment;

/// <summary>
/// Every template and parameters file compiles with the Bicep CLI and lints clean. The CLI exits 0 on warnings, so the
/// output is checked too: one warning fails the test (bicep/bicepconfig.json raises the rules that matter to errors).
/// </summary>
[TestClass]
public sealed class BicepCompilationTests
{
    [TestMethod]
    [DataRow("main.bicep")]
    [DataRow("dev.bicepparam")]
    [DataRow("test.bicepparam")]
    [DataRow("prod.bicepparam")]
    public async Task Deployment_file_compiles_and_lints_without_warnings(string file)
    {
        Assert.IsTrue(File.Exists(BicepCli.PathOf(file)), $"{file} is missing in {BicepCli.Directory}");

        (await BicepCli.BuildAsync(file)).AssertClean();
        (await BicepCli.LintAsync(file)).AssertClean();
    }

    [TestMethod]
    [DynamicData(nameof(Modules))]
    public async Task Module_lints_without_warnings(string file)
    {
        // Lint reports compiler diagnostics as well as linter rules; main.bicep's build covers the modules' JSON.
        (await BicepCli.LintAsync(file)).AssertClean();
    }

    [TestMethod]
    public void The_bicep_folder_holds_one_parameters_file_per_environment_and_nothing_unchecked()
    {
        var parameterFiles = System.IO.Directory.GetFiles(BicepCli.Directory, "*.bicepparam")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToList();
        var templates = System.IO.Directory.GetFiles(BicepCli.Directory, "*.bicep").Select(Path.GetFileName).ToList();

        CollectionAssert.AreEqual(new[] { "dev.bicepparam", "prod.bicepparam", "test.bicepparam" }, parameterFiles);
        CollectionAssert.AreEqual(new[] { "main.bicep" }, templates, "top-level templates other than main.bicep would not be compiled here");
        Assert.IsTrue(File.Exists(BicepCli.PathOf("bicepconfig.json")), "bicepconfig.json raises the linter rules to errors");
    }

    [TestMethod]
    public void The_linter_configuration_turns_the_important_rules_into_errors()
    {
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(BicepCli.PathOf("bicepconfig.json")))!;
        var rules = config["analyzers"]!["core"]!["rules"]!.AsObject();

        foreach (var rule in new[]
        {
            "no-unused-params", "no-unused-vars", "secure-secrets-in-params", "outputs-should-not-contain-secrets",
            "use-secure-value-for-secure-inputs", "no-hardcoded-env-urls", "prefer-interpolation", "use-resource-id-functions",
            "simplify-interpolation", "adminusername-should-not-be-literal", "protect-commandtoexecute-secrets",
            "use-stable-resource-identifiers", "no-unnecessary-dependson", "what-if-short-circuiting",
        })
        {
            Assert.AreEqual("error", rules[rule]?["level"]?.GetValue<string>(), $"{rule} should be an error");
        }
    }

    public static IEnumerable<object[]> Modules =>
        System.IO.Directory.GetFiles(Path.Combine(BicepCli.Directory, "modules"), "*.bicep")
            .Order(StringComparer.Ordinal)
            .Select(path => new object[] { Path.Combine("modules", Path.GetFileName(path)) });
}
