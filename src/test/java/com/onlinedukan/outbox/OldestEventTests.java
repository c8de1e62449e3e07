package com.onlinedukan.outbox;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import com.onlinedukan.support.TestServers;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Outbox#oldestWritten()} against PostgreSQL alone (no Spring context): the ledger's retention
 * purges delivered notifications up to it, so it must answer for an empty outbox too, which is the
 * normal state of a quiet shop once the outbox retention has run. (It threw there instead, and every
 * ledger purge failed until the next order.)
 */
class OldestEventTests {

    private static final AtomicInteger databases = new AtomicInteger();

    private final HikariDataSource dataSource = TestServers.get().migratedDatabase(
            "dukan_oldest_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet(), 2);
    private final JdbcClient jdbc = JdbcClient.create(dataSource);
    private final Outbox outbox = new Outbox(jdbc, JsonMapper.builder().build(), new SimpleMeterRegistry(),
            new StaticListableBeanFactory().getBeanProvider(Tracer.class));

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void anEmptyOutboxHasNoOldestEventAndAFullOneNamesItsOldest() {
        assertThat(outbox.oldestWritten()).as("empty outbox").isNull();

        write("first");
        write("second");
        Instant first = jdbc.sql("SELECT created_at FROM outbox WHERE aggregateid = 'first'")
                .query(java.sql.Timestamp.class).single().toInstant();
        assertThat(outbox.oldestWritten()).isEqualTo(first);

        jdbc.sql("DELETE FROM outbox").update();
        assertThat(outbox.oldestWritten()).as("emptied by the retention").isNull();
    }

    private void write(String aggregateId) {
        jdbc.sql("INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload) "
                + "VALUES (gen_random_uuid(), 'Order', :id, 'Test', '{}'::jsonb)").param("id", aggregateId).update();
    }
}
