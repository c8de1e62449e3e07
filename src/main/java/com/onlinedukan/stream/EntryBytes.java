package com.onlinedukan.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A stream entry's fields as Redis holds them: names and values as bytes, in order, duplicates
 * included. Whoever can write to Redis chooses them, so nothing here assumes they are text.
 * {@link #encoded(int)} is lossless: each name and value as a 4-byte big-endian length and its bytes.
 */
public final class EntryBytes {

    private final List<byte[]> namesAndValues;

    private EntryBytes(List<byte[]> namesAndValues) {
        this.namesAndValues = namesAndValues;
    }

    /** Names and values alternating, as XREADGROUP returns them; a null is taken as empty. */
    static EntryBytes of(List<byte[]> namesAndValues) {
        List<byte[]> copy = new ArrayList<>(namesAndValues.size());
        namesAndValues.forEach(part -> copy.add(part == null ? new byte[0] : part));
        return new EntryBytes(List.copyOf(copy));
    }

    static EntryBytes of(Map<String, String> fields) {
        List<byte[]> parts = new ArrayList<>(fields.size() * 2);
        fields.forEach((name, value) -> {
            parts.add(name.getBytes(StandardCharsets.UTF_8));
            parts.add(value.getBytes(StandardCharsets.UTF_8));
        });
        return new EntryBytes(List.copyOf(parts));
    }

    public int fieldCount() {
        return namesAndValues.size() / 2;
    }

    /** How many bytes {@link #encoded(int)} has uncut. */
    public long encodedLength() {
        long length = 0;
        for (byte[] part : namesAndValues) {
            length += Integer.BYTES + part.length;
        }
        return length;
    }

    /** The lossless encoding, cut after {@code max} bytes (compare its length with {@link #encodedLength()}). */
    public byte[] encoded(int max) {
        int size = (int) Math.min(max, encodedLength());
        ByteBuffer out = ByteBuffer.allocate(size);
        for (byte[] part : namesAndValues) {
            if (!put(out, ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array()) || !put(out, part)) {
                break;
            }
        }
        return out.array();
    }

    private static boolean put(ByteBuffer out, byte[] bytes) {
        int n = Math.min(out.remaining(), bytes.length);
        out.put(bytes, 0, n);
        return n == bytes.length;
    }

    /** SHA-256 of the whole encoding, so a cut copy still names what arrived. */
    public byte[] sha256() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : namesAndValues) {
                digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array());
                digest.update(part);
            }
            return digest.digest();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Text for people and for a {@code text} column: {@code name=value} pairs, bytes that are not
     * UTF-8 as U+FFFD, control characters (NUL among them) as {@code \\uXXXX}, at most
     * {@code maxChars} characters.
     */
    public String readable(int maxChars) {
        StringBuilder out = new StringBuilder();
        out.append('{');
        for (int i = 0; i < namesAndValues.size() && out.length() < maxChars; i++) {
            if (i > 0) {
                out.append(i % 2 == 1 ? "=" : ", ");
            }
            String text = new String(namesAndValues.get(i), StandardCharsets.UTF_8);
            for (int c = 0; c < text.length() && out.length() < maxChars; c++) {
                char ch = text.charAt(c);
                if (Character.isISOControl(ch) || Character.isSurrogate(ch) && !validPair(text, c)) {
                    out.append(String.format("\\u%04x", (int) ch));
                }
                else {
                    out.append(ch);
                }
            }
        }
        if (out.length() >= maxChars) {
            out.setLength(Math.max(0, maxChars - 1));
            out.append('…');
        }
        else {
            out.append('}');
        }
        return out.toString();
    }

    private static boolean validPair(String text, int at) {
        char ch = text.charAt(at);
        return Character.isHighSurrogate(ch) ? at + 1 < text.length() && Character.isLowSurrogate(text.charAt(at + 1))
                : at > 0 && Character.isHighSurrogate(text.charAt(at - 1));
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof EntryBytes that) || that.namesAndValues.size() != namesAndValues.size()) {
            return false;
        }
        for (int i = 0; i < namesAndValues.size(); i++) {
            if (!Arrays.equals(namesAndValues.get(i), that.namesAndValues.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (byte[] part : namesAndValues) {
            hash = 31 * hash + Arrays.hashCode(part);
        }
        return hash;
    }

    @Override
    public String toString() {
        return readable(200);
    }
}
