namespace ServerlessFedi.Tests.Signatures;

/// <summary>Fixed keys: the published test keys of draft-cavage-http-signatures-12 and RFC 9421, and two RSA-2048 keys of our own.</summary>
internal static class TestKeys
{
    /// <summary>draft-cavage-http-signatures-12 Appendix C test key <c>Test</c> (RSA-1024; the private key in PKCS#1 form).</summary>
    public const string CavagePrivateKeyPem = """
        -----BEGIN RSA PRIVATE KEY-----
        MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj+CvfSC8+q28hxA161QF
        NUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6Z4UMR7EOcpfdUE9Hf3m/hs+F
        UR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJwoYi+1hqp1fIekaxsyQIDAQAB
        AoGBAJR8ZkCUvx5kzv+utdl7T5MnordT1TvoXXJGXK7ZZ+UuvMNUCdN2QPc4sBiA
        QWvLw1cSKt5DsKZ8UETpYPy8pPYnnDEz2dDYiaew9+xEpubyeW2oH4Zx71wqBtOK
        kqwrXa/pzdpiucRRjk6vE6YY7EBBs/g7uanVpGibOVAEsqH1AkEA7DkjVH28WDUg
        f1nqvfn2Kj6CT7nIcE3jGJsZZ7zlZmBmHFDONMLUrXR/Zm3pR5m0tCmBqa5RK95u
        412jt1dPIwJBANJT3v8pnkth48bQo/fKel6uEYyboRtA5/uHuHkZ6FQF7OUkGogc
        mSJluOdc5t6hI1VsLn0QZEjQZMEOWr+wKSMCQQCC4kXJEsHAve77oP6HtG/IiEn7
        kpyUXRNvFsDE0czpJJBvL/aRFUJxuRK91jhjC68sA7NsKMGg5OXb5I5Jj36xAkEA
        gIT7aFOYBFwGgQAQkWNKLvySgKbAZRTeLBacpHMuQdl1DfdntvAyqpAZ0lY0RKmW
        G6aFKaqQfOXKCyWoUiVknQJAXrlgySFci/2ueKlIE1QqIiLSZ8V8OlpFLRnb1pzI
        7U1yQXnTAEFYM560yJlzUpOb1V4cScGd365tiSMvxLOvTA==
        -----END RSA PRIVATE KEY-----
        """;

    public const string CavagePublicKeyPem = """
        -----BEGIN PUBLIC KEY-----
        MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3
        6rPJj+CvfSC8+q28hxA161QFNUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6
        Z4UMR7EOcpfdUE9Hf3m/hs+FUR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJw
        oYi+1hqp1fIekaxsyQIDAQAB
        -----END PUBLIC KEY-----
        """;

    /// <summary>RFC 9421 Appendix B.1.2 <c>test-key-rsa-pss</c> (public part; its examples sign with rsa-pss-sha512).</summary>
    public const string RsaPssPublicKeyPem = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAr4tmm3r20Wd/PbqvP1s2
        +QEtvpuRaV8Yq40gjUR8y2Rjxa6dpG2GXHbPfvMs8ct+Lh1GH45x28Rw3Ry53mm+
        oAXjyQ86OnDkZ5N8lYbggD4O3w6M6pAvLkhk95AndTrifbIFPNU8PPMO7OyrFAHq
        gDsznjPFmTOtCEcN2Z1FpWgchwuYLPL+Wokqltd11nqqzi+bJ9cvSKADYdUAAN5W
        Utzdpiy6LbTgSxP7ociU4Tn0g5I6aDZJ7A8Lzo0KSyZYoA485mqcO0GVAdVw9lq4
        aOT9v6d+nb4bnNkQVklLQ3fVAvJm+xdDOp9LCNCN48V2pnDOkFV6+U9nV5oyc6XI
        2wIDAQAB
        -----END PUBLIC KEY-----
        """;

    /// <summary>RFC 9421 Appendix B.1.4 <c>test-key-ed25519</c>: PKCS#8 private and SPKI public key, whose last 32 bytes are the raw keys.</summary>
    public const string Ed25519PrivateKeyPkcs8 = "MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF";

    public const string Ed25519PublicKeySpki = "MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=";

    public static byte[] Ed25519PrivateKey => Convert.FromBase64String(Ed25519PrivateKeyPkcs8)[^32..];

    public static byte[] Ed25519PublicKey => Convert.FromBase64String(Ed25519PublicKeySpki)[^32..];

    /// <summary>Generated once with <c>openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048</c>.</summary>
    public const string AlicePrivateKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCUT1qB/ovowFHU
        RM9Or3YyIKluVimbZ4uDdIhONay00DSqrWiKWVnTil03EReJTlbGl6akl/RQWw03
        G5nunSeH4KIHW/nc9IMbRulVOl1hPnDvnhZNGO7ipxurZPtvFg+Pjf6OS+vwvv8J
        8OAyXeRRPNAEv8krxZietAm8NEVnAvqy9KvxQwZwDW5bdtsjJnn9fcPfEszJcgJK
        wOYc6x9bNxEl7+wKbH/Cp8jdK8+xnQ5gAHsJUeW3HJaIAvM4OMNphZe1/ahq7z0g
        5NCSg+R1uYFXDxIWicMVmFDnia+AHmNya60ItL79ffDtO2rl3HVMenJo3PuAz63s
        1yWCUv6xAgMBAAECggEAHCf8jNVghm2Mm3n8yXlyPQ4KXJIrD//Wcrx67C4wfZtR
        hF2rjShtb0XDcKLkDwM6YjWEQ5c9oMvIdH/e93gKezdgS3lgtFwPT+xke/O6qq2K
        D1O59CUZpRoInL9tJKfRiHVysF0li+0WyjJavfUpVWrwKxamAJNg6DBR8NMTofya
        0Dak0VeXl9kQyy8CTY5vfK0u4griOiB7US7Q7txIljq4RjrT1ukr7JQLP3eZ/b0E
        QWVIiw38R/3Nt7LklonTBtVroOrKCj3SW2Y4E0yc5BoieJEM3ePHY/qfU08u5W6d
        JbFyrTdqf7G1shqo86pnZszgT9Z0t3yhTp8oMt5HYQKBgQDGh5y1V3uXHn+P4Cy5
        2OSagQy0RZqnJ/o4ukbpZs4kCheHI4O/6o4BmvZBIauH5VZn3tdbD2fRBQixqzCO
        2B+3xe+/7LkTdoVNDVilGld910K6MKhAsP+BB6rb7/a+XSiKRDcLtpGVmPfwf3yy
        92NFlqLbr0o8mGhH+3Sm4pzdNQKBgQC/Ph6eah4paiYdRdaryuFFMDdgWoNgKvBJ
        68mnKkxmIllN/eoXwpmr1nZRTL8Wg0Djr//5qGIsRoxuW615SrDcODacMVR80a9t
        7pUHLyhSr+6ZAWApxP85S1MSqK1bSxe0I2lrUTBggxgkJssf1LnlFDIOiq++6LSU
        vzZSogwXDQKBgGianaxC6wDF9gp14LsPl+v8oRf/MKxwePwY0jI6k9UTaDAxO0MM
        sEQSRTwuJHYXFX7nQGtfY6ETWPBcNdqd76Bh76Add6rUoQnnRVTA22aX3DXEW3Ky
        j/2Jb7Iw7r6A0VKA/Mv0JyM+lS0nzylxBeJtq2O7KY9h8lgzGtSvxF0dAoGAbjjT
        VOI8eAoh5YU28NSBeWsMv4/rYCXfT/uBwcLzPXpWlkjd/su93fhBQSJGkCcd4xyx
        H6cYzgPrND/Kf7m4rXQIpYUY+MexoF59riJTzzRvA+hzEB/mKZNsUbi+EXv6MWyn
        eZ7Vjwp/g3aIY9QrQAifwRnVqOZeDc0W9hFHfpECgYBwZ4K5wSI12FQqNfpz0pTp
        OXpb8O/sz7scQUP1hCXUc59Y0PO8x9KysxLKhE62yz2OuM3R+M/aH59k5H0CuqeQ
        1NjlzA/kWqt/IFKkVG+AUNsKlqQYAXzDLZ0VFg9Lr5xI4oCWRtu++BoGHbs2qrfr
        MeqL+Etc3j2aTR61cXeTwg==
        -----END PRIVATE KEY-----
        """;

    public const string AlicePublicKeyPem = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlE9agf6L6MBR1ETPTq92
        MiCpblYpm2eLg3SITjWstNA0qq1oillZ04pdNxEXiU5WxpempJf0UFsNNxuZ7p0n
        h+CiB1v53PSDG0bpVTpdYT5w754WTRju4qcbq2T7bxYPj43+jkvr8L7/CfDgMl3k
        UTzQBL/JK8WYnrQJvDRFZwL6svSr8UMGcA1uW3bbIyZ5/X3D3xLMyXICSsDmHOsf
        WzcRJe/sCmx/wqfI3SvPsZ0OYAB7CVHltxyWiALzODjDaYWXtf2oau89IOTQkoPk
        dbmBVw8SFonDFZhQ54mvgB5jcmutCLS+/X3w7Ttq5dx1THpyaNz7gM+t7NclglL+
        sQIDAQAB
        -----END PUBLIC KEY-----
        """;

    /// <summary>A second key: the one Alice rotates to, or an impostor's.</summary>
    public const string RotatedPrivateKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCJ/dF5I/HIk1Sd
        bwHkIKGPzAKPVc+FHNGk5wpHDVQiLmLiuxG1s8Dt3uNI0JFDXALC4A62eTmu703S
        C5z+i+/WHrdpYd5eaTcQJMCPrKaXfi9jZ8QwKPsah4kS0LKYnRRQckrD63VYrh4l
        S2GfXp2sX98AsiTQTdeT4J7K1zp65gV81zOkamPC5bMWWWoa2JJLSp9bw8j+LNG7
        8yME4BXfUKV1ahEEBF92Y+8295PqfCNIufNaI0J3xEYlYl7DNor4QpC7L/IsbUDO
        XcfF9ibakdV+zH4HNWSdCUsHsmozWzBZh/lOVnquGHpv12VB8PBJMlUIJqjL53WS
        1bbJF70rAgMBAAECggEAASag/aEQHi69/blasa7+Y5DXBwadl985D5mhtOmZvwmi
        zeaAUk/XSksANRZDb+ViwujtfOLr8tddT2T4M6NLjJfUl2HQ+5NmRl5k5yd24dXH
        Y810wTx5dt766xfa6Kzx6dRAmi7qwdX9IfoYxiSBRvPE8pOJyd1filGZ4XIEGdkY
        JejlpVmWIEU9Xv276Ph2ILguuFStSyNfqkH0+2NiRj3VQTqwzFoZabvsxcj3+Azg
        eRs+QPJX0rU4HV+Fqhf7wopr4om+WBmqz+PbGjiH2Ld+h0E5YjdPPBjQVqGQaaDE
        td5MWOCuztqJnzErp65MG/pTkA6Xp/oieijUKKNMQQKBgQC+89tsLx7dRL9uSsXQ
        sSEncRTZARp3GUjzrpk2VWJabyTusSDFw5le5fNRW9Dx3B81ueO3fnJUB5N2Ma9i
        SzgdpOzHRAvhXQUMiQaDcUM/7RyGLp3WUw6ryUrAIpaTv1dzkIBADlFVjpZ/4EyH
        7nDXrbpISI8CKGO/2aJK08PESwKBgQC4/3RyYkPPD3KXHdz9N1XcY6p4FjCpX/Di
        0IyU2Uivh7msJyI4f2mFF3KIopoOVGgcTp5U33CAKjMMv1IFLDFDxYcLnYhBB5qL
        x1KuPFRDi4HXKJUEsvvMHsBORPqQfEQ2Eha0HAlp6BSha3urAFgCj0ZuvCXJ93Jy
        /H/9BZmeoQKBgHe75QyTB2FraDW6QQu45bcbmxzvKi8f9bSG+J8vLvrR0nCxNIGN
        QrBUtBuB3SSrCA7iPr2iVgIGthpY0UZrMAa2kZnpOyHW+AGCMkldTfPZtBcXR/VK
        I1roXyzXA2AljKp0I1cHI0zomcoZVSOvCabT0ojcpn+N3+4+gxs0af69AoGBAJI3
        3nr17fB/niuQv/UnwmZSJA+MQmPs38D14tdXMdsC5J8Lw0Fyex1lnfIeyrLexfbx
        sLUWcZ3rPLQrl5FdD4coXYexuFrlvqISJehu6I8GedZsTfQL33bDK23xmTWP8n3m
        KCmtK0eY1o2LHZDX0bgcNCgb76ZFPSFjL2n1/ihhAoGAR0Uswwc7HfL/L7pHWi7b
        xCqZGIoSox6piLGA4ipfm19hHCEezRGALhxb6WcPOGkauvWBXws9KkEu4DyizbzI
        D1gq958X8sHcxSpGtKYhvXuUTL+Jgj73hHqGbgw7LImOVRjLO7W5ZNDLY1iNIC6O
        i1GZF6n/1Za/TH7kD9ELSAM=
        -----END PRIVATE KEY-----
        """;

    public const string RotatedPublicKeyPem = """
        -----BEGIN PUBLIC KEY-----
        MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAif3ReSPxyJNUnW8B5CCh
        j8wCj1XPhRzRpOcKRw1UIi5i4rsRtbPA7d7jSNCRQ1wCwuAOtnk5ru9N0guc/ovv
        1h63aWHeXmk3ECTAj6yml34vY2fEMCj7GoeJEtCymJ0UUHJKw+t1WK4eJUthn16d
        rF/fALIk0E3Xk+Ceytc6euYFfNczpGpjwuWzFllqGtiSS0qfW8PI/izRu/MjBOAV
        31CldWoRBARfdmPvNveT6nwjSLnzWiNCd8RGJWJewzaK+EKQuy/yLG1Azl3HxfYm
        2pHVfsx+BzVknQlLB7JqM1swWYf5TlZ6rhh6b9dlQfDwSTJVCCaoy+d1ktW2yRe9
        KwIDAQAB
        -----END PUBLIC KEY-----
        """;
}
