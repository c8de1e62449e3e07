package com.onlinedukan.ops;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The record of every replay, pause and resume: who asked, when, for what, how many it touched. */
@Component
public class OpsAudit {

    /** One SRE action. */
    public record Entry(Instant at, String actor, String action, String target, int count) {
    }

    private final JdbcClient jdbc;

    OpsAudit(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(String actor, String action, String target, int count) {
        jdbc.sql("INSERT INTO ops_audit (actor, action, target, affected) VALUES (:actor, :action, :target, :count)")
                .param("actor", actor).param("action", action).param("target", target).param("count", count)
                .update();
    }

    public List<Entry> recent(int limit) {
        return jdbc.sql("SELECT at, actor, action, target, affected FROM ops_audit ORDER BY at DESC, id DESC LIMIT :limit")
                .param("limit", limit)
                .query((rs, row) -> new Entry(rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                        rs.getString("action"), rs.getString("target"), rs.getInt("affected")))
                .list();
    }
}
