using System.Security.Cryptography;
using System.Text;

namespace ServerlessFedi.Web;

/// <summary>
/// The one stylesheet of the public pages, served from our own origin (CSP <c>style-src 'self'</c>). Pages work without
/// it; with it they reflow to one column (400% zoom), keep visible focus rings and meet WCAG AA contrast (text #1a1d21
/// and links #0a4fa8 on white, muted #4b5563: all above 7:1 or 4.5:1).
/// </summary>
public static class WebStylesheet
{
    public const string Css = """
        :root { color-scheme: light; --text: #1a1d21; --muted: #4b5563; --link: #0a4fa8; --line: #d5dae0; --bg: #ffffff; --panel: #f4f6f8; --focus: #b3261e; }
        *, *::before, *::after { box-sizing: border-box; }
        html { font-size: 100%; -webkit-text-size-adjust: 100%; }
        body { margin: 0; background: var(--bg); color: var(--text); font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5; overflow-wrap: anywhere; }
        a { color: var(--link); text-decoration: underline; text-underline-offset: 0.15em; }
        a:hover { text-decoration-thickness: 2px; }
        :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
        main:focus { outline: none; }
        img { max-width: 100%; height: auto; }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; background: var(--panel); padding: 0.1em 0.3em; border-radius: 3px; }
        .skip-link { position: absolute; left: 0.5rem; top: -4rem; background: var(--bg); color: var(--link); padding: 0.5rem 1rem; border: 2px solid var(--link); z-index: 10; }
        .skip-link:focus { top: 0.5rem; }
        .site-header, .site-footer { background: var(--panel); border-color: var(--line); border-style: solid; border-width: 0; }
        .site-header { border-bottom-width: 1px; }
        .site-footer { border-top-width: 1px; margin-top: 3rem; padding-bottom: 1rem; color: var(--muted); }
        .site-header nav, .site-footer nav, .site-footer p, main { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
        nav ul { list-style: none; margin: 0; padding: 0.75rem 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; }
        .site-title { font-weight: 700; }
        h1 { font-size: 1.75rem; line-height: 1.25; margin: 1.5rem 0 0.5rem; }
        h2 { font-size: 1.3rem; margin: 2rem 0 0.75rem; }
        .profile-header { display: block; width: 100%; aspect-ratio: 3 / 1; object-fit: cover; margin-top: 1rem; border-radius: 6px; background: var(--panel); }
        .profile-identity { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 1rem; margin-top: -2.5rem; padding: 0 1rem; }
        .avatar { width: 6rem; height: 6rem; border-radius: 8px; border: 3px solid var(--bg); background: var(--panel); }
        .avatar-small { width: 3rem; height: 3rem; border-radius: 6px; flex: none; }
        .handle { color: var(--muted); }
        .badge { display: inline-block; margin-left: 0.5rem; padding: 0 0.4rem; border: 1px solid var(--muted); border-radius: 4px; color: var(--muted); font-size: 0.875rem; }
        .counts-list { display: flex; flex-wrap: wrap; gap: 1.5rem; margin: 1rem 0; }
        .counts-list div { display: flex; flex-direction: column-reverse; }
        .counts-list dt { color: var(--muted); }
        .counts-list dd { margin: 0; font-weight: 700; font-size: 1.2rem; }
        .fields dt { font-weight: 700; }
        .fields dd { margin: 0 0 0.5rem; }
        .follow { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0 1rem 1rem; }
        .follow h2 { margin-top: 1rem; }
        label { display: block; margin-bottom: 0.25rem; }
        .form-row { display: flex; flex-wrap: wrap; gap: 0.5rem; }
        input[type=text] { flex: 1 1 14rem; min-width: 0; font: inherit; padding: 0.4rem 0.6rem; border: 1px solid var(--muted); border-radius: 4px; color: var(--text); background: var(--bg); }
        button { font: inherit; padding: 0.4rem 1rem; border: 2px solid var(--link); border-radius: 4px; background: var(--link); color: #ffffff; cursor: pointer; }
        .error { color: var(--focus); font-weight: 700; }
        .post { border-bottom: 1px solid var(--line); padding: 1rem 0; }
        .post-focus { border: 2px solid var(--line); border-radius: 6px; padding: 1rem; margin: 1rem 0; }
        .post-header { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.5rem; }
        .post-author { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.5rem; text-decoration: none; color: var(--text); }
        .post-author .p-name { font-weight: 700; text-decoration: underline; }
        .post-time { color: var(--muted); }
        .post-content p { margin: 0.5rem 0; }
        .post-media { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0; }
        .poll-options { list-style: none; padding: 0; margin: 0.5rem 0; }
        .poll-options meter { display: block; width: 100%; }
        .post-media img { max-width: 100%; height: auto; border-radius: 4px; }
        .post-media figure { margin: 0; flex: 1 1 100%; min-width: 0; }
        .post-media video { display: block; max-width: 100%; height: auto; border-radius: 4px; background: #2b3440; }
        .post-media audio { display: block; width: min(100%, 30rem); }
        .post-media figcaption { font-size: 0.9rem; margin: 0.25rem 0; }
        .media-length { color: var(--muted); }
        .post-card { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.5rem 0; padding: 0.5rem; border: 1px solid var(--line); border-radius: 4px; color: var(--text); text-decoration: none; }
        .post-card img { max-width: min(100%, 12rem); height: auto; border-radius: 4px; }
        .post-card-text { display: flex; flex-direction: column; gap: 0.25rem; flex: 1 1 12rem; min-width: 0; }
        .post-card-title { text-decoration: underline; }
        .post-card-domain { color: var(--muted); font-size: 0.9rem; }
        .in-reply-to { margin: 0.5rem 0 0; font-size: 0.9rem; }
        .post-quote { margin: 0.5rem 0; padding: 0.5rem 0.75rem; border: 1px solid var(--line); border-left-width: 4px; border-radius: 4px; }
        .post-quote figcaption { font-size: 0.9rem; }
        .post-quote .p-name { font-weight: 700; }
        .post-quote blockquote { margin: 0.25rem 0; }
        .post-quote-link { margin: 0; font-size: 0.9rem; color: var(--muted); }
        .tags { list-style: none; padding: 0; margin: 0.5rem 0 0; display: flex; flex-wrap: wrap; gap: 0.5rem; color: var(--muted); }
        .directory { list-style: none; padding: 0; }
        .directory-entry { display: flex; gap: 0.75rem; padding: 0.75rem 0; border-bottom: 1px solid var(--line); }
        .directory-entry p { margin: 0.25rem 0 0; }
        .counts { color: var(--muted); font-size: 0.9rem; }
        .facts dt { font-weight: 700; margin-top: 0.5rem; }
        .facts dd { margin: 0; }
        .pager ul { padding: 1rem 0; }
        @media (prefers-reduced-motion: no-preference) { html { scroll-behavior: smooth; } }
        """;

    public static byte[] Bytes { get; } = Encoding.UTF8.GetBytes(Css);

    /// <summary>Part of the stylesheet's URL, so a new version is fetched at once while the old one may stay cached long.</summary>
    public static string Version { get; } = Convert.ToHexStringLower(SHA256.HashData(Bytes).AsSpan(0, 6));
}
