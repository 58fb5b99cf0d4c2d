namespace ServerlessFedi.Media.Av;

/// <summary>Audio and video containers accepted for upload, recognised from their first bytes (see <see cref="MediaSniffer"/>).</summary>
public enum AvContainer
{
    Unknown,

    /// <summary>ISO base media (ISO/IEC 14496-12): MP4, QuickTime MOV, M4A.</summary>
    IsoMedia,

    /// <summary>Matroska with the WebM codecs (EBML, RFC 8794; Matroska, RFC 9559).</summary>
    Matroska,

    /// <summary>MPEG-1/2/2.5 audio layer III frames, optionally inside ID3 tags.</summary>
    Mp3,

    /// <summary>Ogg (RFC 3533) carrying Opus (RFC 7845) or Vorbis.</summary>
    Ogg,

    /// <summary>RIFF WAVE with PCM or IEEE float samples.</summary>
    Wave,
}
