using ServerlessFedi.Crypto;

namespace ServerlessFedi.Tests.Crypto;

[TestClass]
public sealed class PasswordHasherTests
{
    private const string Password = "Correct-Horse-42-battery";

    [TestMethod]
    public void Hash_is_a_phc_argon2id_string_with_the_owasp_parameters()
    {
        var hash = PasswordHasher.Hash(Password);

        // 16-byte salt and 32-byte hash in unpadded standard Base64.
        Assert.MatchesRegex(@"^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", hash);
    }

    [TestMethod]
    public void Right_password_verifies()
    {
        var hash = PasswordHasher.Hash(Password);

        Assert.IsTrue(PasswordHasher.Verify(Password, hash));
    }

    [TestMethod]
    [DataRow("Correct-Horse-42-batterY")]
    [DataRow("Correct-Horse-42-battery ")]
    [DataRow("")]
    public void Wrong_password_does_not_verify(string wrong)
    {
        var hash = PasswordHasher.Hash(Password);

        Assert.IsFalse(PasswordHasher.Verify(wrong, hash));
    }

    [TestMethod]
    public void Non_ascii_password_verifies()
    {
        var hash = PasswordHasher.Hash("Grüße-aus-Köln-2025 🔑");

        Assert.IsTrue(PasswordHasher.Verify("Grüße-aus-Köln-2025 🔑", hash));
        Assert.IsFalse(PasswordHasher.Verify("Grusse-aus-Koln-2025 🔑", hash));
    }

    [TestMethod]
    public void Two_hashes_of_the_same_password_differ_by_their_salt()
    {
        var first = PasswordHasher.Hash(Password);
        var second = PasswordHasher.Hash(Password);

        Assert.AreNotEqual(first, second);
        Assert.AreNotEqual(first.Split('$')[4], second.Split('$')[4]);
        Assert.IsTrue(PasswordHasher.Verify(Password, first));
        Assert.IsTrue(PasswordHasher.Verify(Password, second));
    }

    [TestMethod]
    public void Hash_with_one_character_of_the_hash_part_changed_does_not_verify()
    {
        var hash = PasswordHasher.Hash(Password);
        var parts = hash.Split('$');
        var digest = parts[5].ToCharArray();
        digest[0] = digest[0] == 'A' ? 'B' : 'A';
        parts[5] = new string(digest);

        Assert.IsFalse(PasswordHasher.Verify(Password, string.Join('$', parts)));
    }

    [TestMethod]
    public void Hash_with_one_character_of_the_salt_changed_does_not_verify()
    {
        var hash = PasswordHasher.Hash(Password);
        var parts = hash.Split('$');
        var salt = parts[4].ToCharArray();
        salt[0] = salt[0] == 'A' ? 'B' : 'A';
        parts[4] = new string(salt);

        Assert.IsFalse(PasswordHasher.Verify(Password, string.Join('$', parts)));
    }

    [TestMethod]
    public void Hash_with_lowered_parameters_does_not_verify()
    {
        var hash = PasswordHasher.Hash(Password);

        Assert.IsFalse(PasswordHasher.Verify(Password, hash.Replace("t=2", "t=1", StringComparison.Ordinal)));
        Assert.IsFalse(PasswordHasher.Verify(Password, hash.Replace("m=19456", "m=8192", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Truncated_hash_is_refused_without_throwing()
    {
        var hash = PasswordHasher.Hash(Password);

        Assert.IsFalse(PasswordHasher.Verify(Password, hash[..^10]));
        Assert.IsFalse(PasswordHasher.Verify(Password, hash[..^30]));
        Assert.IsFalse(PasswordHasher.Verify(Password, hash[..(hash.LastIndexOf('$') + 1)]));
        Assert.IsFalse(PasswordHasher.Verify(Password, hash[..20]));
        Assert.IsFalse(PasswordHasher.Verify(Password, hash[..1]));
    }

    [TestMethod]
    public void Empty_hash_is_refused_without_throwing()
    {
        Assert.IsFalse(PasswordHasher.Verify(Password, ""));
        Assert.IsFalse(PasswordHasher.Verify(Password, null!));
        Assert.IsFalse(PasswordHasher.Verify(Password, "$$$$$"));
    }

    [TestMethod]
    public void Foreign_algorithms_are_refused_without_throwing()
    {
        var hash = PasswordHasher.Hash(Password);

        Assert.IsFalse(PasswordHasher.Verify(Password, hash.Replace("$argon2id$", "$argon2i$", StringComparison.Ordinal)));
        Assert.IsFalse(PasswordHasher.Verify(Password, hash.Replace("$argon2id$", "$argon2d$", StringComparison.Ordinal)));
        Assert.IsFalse(PasswordHasher.Verify(Password, hash.Replace("$v=19$", "$v=16$", StringComparison.Ordinal)));
        Assert.IsFalse(PasswordHasher.Verify(Password, "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"));
        Assert.IsFalse(PasswordHasher.Verify(Password, "pbkdf2_sha256$600000$salt$hash"));
    }

    [TestMethod]
    [DataRow("m=99999999,t=2,p=1")]
    [DataRow("m=19456,t=99999999,p=1")]
    [DataRow("m=19456,t=2,p=64")]
    [DataRow("m=19456,t=0,p=1")]
    [DataRow("m=1,t=2,p=1")]
    [DataRow("m=-19456,t=2,p=1")]
    [DataRow("m=99999999999999999999,t=2,p=1")]
    [DataRow("m=19456,t=2")]
    [DataRow("m=19456,t=2,p=1,x=1")]
    [DataRow("m=19456,t=2,p=1,m=99999999")]
    [DataRow("m=19456;t=2;p=1")]
    [DataRow("m=19456,t=2,p=１")]
    public void Absurd_parameters_are_refused_without_throwing(string parameters)
    {
        var parts = PasswordHasher.Hash(Password).Split('$');
        parts[3] = parameters;

        Assert.IsFalse(PasswordHasher.Verify(Password, string.Join('$', parts)));
    }

    [TestMethod]
    public void Invalid_base64_is_refused_without_throwing()
    {
        var parts = PasswordHasher.Hash(Password).Split('$');

        Assert.IsFalse(PasswordHasher.Verify(Password, string.Join('$', parts[..4]) + "$!!not base64!!$" + parts[5]));
        Assert.IsFalse(PasswordHasher.Verify(Password, string.Join('$', parts[..5]) + "$" + parts[5][..^1] + "*"));
        Assert.IsFalse(PasswordHasher.Verify(Password, string.Join('$', parts[..5]) + "$" + parts[5] + "A"));
    }

    [TestMethod]
    public void Hash_of_a_null_password_is_refused()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => PasswordHasher.Hash(null!));
    }
}
