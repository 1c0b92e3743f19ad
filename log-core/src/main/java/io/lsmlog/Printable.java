package io.lsmlog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Renders keys and values in messages: UTF-8 when printable, hex otherwise. */
public final class Printable {
    private static final int MAX_CHARS = 64;

    private Printable() {}

    public static String bytes(byte[] b) {
        if (b == null) {
            return "null";
        }
        String text = utf8OrNull(b);
        String shown;
        if (text != null && text.chars().noneMatch(Character::isISOControl)) {
            shown = "\"" + text + "\"";
        } else {
            shown = "0x" + HexFormat.of().formatHex(b);
        }
        return shown.length() > MAX_CHARS
                ? shown.substring(0, MAX_CHARS) + "...(" + b.length + " bytes)"
                : shown;
    }

    /** The bytes as a string if they are valid UTF-8, else null. */
    public static String utf8OrNull(byte[] b) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
