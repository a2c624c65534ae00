//! What the handed-out media URLs serve: an HLS master playlist, one VOD playlist per rendition,
//! placeholder MPEG-TS segments and ASS subtitles. Paths are relative to
//! `/_sim/media/{content_id}/{token}/`.

use std::fmt::Write;

/// Seconds per HLS segment.
const SEGMENT_SECONDS: u64 = 10;
/// An MPEG-TS null packet: sync byte, PID 0x1FFF, payload only.
const NULL_PACKET_HEADER: [u8; 4] = [0x47, 0x1F, 0xFF, 0x10];
/// MPEG-TS packet size.
const PACKET_BYTES: usize = 188;
/// Packets per placeholder segment.
const PACKETS_PER_SEGMENT: usize = 7;
/// Seconds between subtitle lines.
const SUBTITLE_EVERY_SECONDS: u64 = 60;

/// One rendition of the ladder: name, width, height, bandwidth in bits per second.
const RENDITIONS: [(&str, u32, u32, u32); 3] = [
    ("360p", 640, 360, 800_000),
    ("720p", 1280, 720, 2_500_000),
    ("1080p", 1920, 1080, 5_000_000),
];

/// The master playlist listing every rendition.
pub(crate) fn master_playlist() -> String {
    let mut playlist = String::from("#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-INDEPENDENT-SEGMENTS\n");
    for (name, width, height, bandwidth) in RENDITIONS {
        // Writing to a String cannot fail.
        let _ = writeln!(
            playlist,
            "#EXT-X-STREAM-INF:BANDWIDTH={bandwidth},RESOLUTION={width}x{height},CODECS=\"avc1.640028,mp4a.40.2\"\nvariant/{name}.m3u8"
        );
    }
    playlist
}

/// The VOD playlist of a rendition (`720p.m3u8`) for content lasting `duration_ms`.
pub(crate) fn variant_playlist(file: &str, duration_ms: u64) -> Option<String> {
    let name = file.strip_suffix(".m3u8")?;
    RENDITIONS
        .iter()
        .find(|(rendition, ..)| *rendition == name)?;
    let total_seconds = duration_ms.div_ceil(1000).max(1);
    let mut playlist = format!(
        "#EXTM3U\n#EXT-X-VERSION:4\n#EXT-X-TARGETDURATION:{SEGMENT_SECONDS}\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n"
    );
    let segments = total_seconds.div_ceil(SEGMENT_SECONDS);
    for segment in 0..segments {
        let length = (total_seconds - segment * SEGMENT_SECONDS).min(SEGMENT_SECONDS);
        let _ = writeln!(
            playlist,
            "#EXTINF:{length}.000,\n../segment/{name}/{segment}.ts"
        );
    }
    playlist.push_str("#EXT-X-ENDLIST\n");
    Some(playlist)
}

/// A placeholder segment: a few MPEG-TS null packets.
pub(crate) fn segment() -> Vec<u8> {
    let mut packet = [0xFF; PACKET_BYTES];
    packet[..NULL_PACKET_HEADER.len()].copy_from_slice(&NULL_PACKET_HEADER);
    packet.repeat(PACKETS_PER_SEGMENT)
}

/// ASS subtitles (`en-US.ass`) for content titled `title` lasting `duration_ms`.
pub(crate) fn ass_subtitles(file: &str, title: &str, duration_ms: u64) -> Option<String> {
    let locale = file.strip_suffix(".ass")?;
    super::response::STREAM_LOCALES
        .iter()
        .find(|known| **known == locale)?;
    let mut subtitles = format!(
        "[Script Info]\nTitle: {title}\nScriptType: v4.00+\nPlayResX: 1920\nPlayResY: 1080\n\n\
         [V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, Bold, Italic, Alignment, MarginV\n\
         Style: Default,Arial,54,&H00FFFFFF,0,0,2,40\n\n\
         [Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    );
    let total_seconds = duration_ms / 1000;
    for (line, start) in (1..).zip((0..total_seconds).step_by(SUBTITLE_EVERY_SECONDS as usize)) {
        let _ = writeln!(
            subtitles,
            "Dialogue: 0,{},{},Default,,0,0,0,,[{locale}] Line {line} of {title}",
            ass_time(start),
            ass_time(start + 4)
        );
    }
    Some(subtitles)
}

fn ass_time(seconds: u64) -> String {
    format!(
        "{}:{:02}:{:02}.00",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_playlists_cover_the_whole_duration() {
        let playlist = variant_playlist("720p.m3u8", 25_000).expect("known rendition");
        assert_eq!(playlist.matches("#EXTINF").count(), 3);
        assert!(playlist.contains("#EXTINF:5.000,"));
        assert!(playlist.ends_with("#EXT-X-ENDLIST\n"));
        assert!(variant_playlist("4k.m3u8", 25_000).is_none());
    }

    #[test]
    fn subtitles_exist_only_for_offered_locales() {
        let subtitles = ass_subtitles("de-DE.ass", "Pilot", 130_000).expect("offered");
        assert!(subtitles.starts_with("[Script Info]"));
        assert_eq!(subtitles.matches("Dialogue:").count(), 3);
        assert!(ass_subtitles("fr-FR.ass", "Pilot", 130_000).is_none());
    }

    #[test]
    fn segments_are_whole_ts_packets() {
        let bytes = segment();
        assert_eq!(bytes.len() % PACKET_BYTES, 0);
        assert_eq!(bytes[0], 0x47);
    }
}
