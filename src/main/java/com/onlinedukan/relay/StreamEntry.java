package com.onlinedukan.relay;

import java.util.Map;

/** One entry of the outbox stream as a subscriber receives it: its id and its fields, unparsed. */
public record StreamEntry(String id, Map<String, String> fields) {
}
