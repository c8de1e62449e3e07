package com.onlinedukan.support;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives each Spring test context a fresh database, replication slot, publication and stream key
 * on the shared {@link TestServers}, reached through Spring Boot connection details
 * ({@link TestInfrastructure}, {@link ContextConnections}), and its own fake Bot API; drops the
 * slot when the context closes, so no test leaves a slot that retains WAL.
 */
public class DukanTestContext implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String BOT_TOKEN = "4242:TEST-token-must-never-be-logged";
    public static final String CHAT_ID = "-1001234567890";
    public static final String OPS_USER = "sre";
    public static final String OPS_PASSWORD = "TEST-ops-password-never-logged";

    /**
     * What every test context runs with unless its test says otherwise: Telegram's budgets lifted
     * (a test of the budgets sets them, as {@code BurstTests} and {@code RedisTopologyTests} do), so
     * that a test's messages and edits never wait for the 20-a-minute budget of one chat; a retry
     * due is picked up within 100 ms; a long poll for updates returns within a second; the relay hands
     * its batches over every 50 ms instead of every 10 (Debezium's queue spins for the last millisecond of
     * each wait: a tenth of a core per idle context at 10 ms). Tests with the same settings share a
     * cached context instead of starting one each.
     */
    static final Map<String, Object> TEST_DEFAULTS = Map.of(
            "dukan.telegram.rate.global-per-second", "1000",
            "dukan.telegram.rate.per-chat-per-minute", "60000",
            "dukan.telegram.rate.per-chat-per-second", "1000",
            "dukan.notification.retry-poll-interval", "100ms",
            "dukan.notification.updates-poll-wait", "1s",
            "dukan.relay.poll-interval", "50ms",
            // A test's service starts cold: the warm-up's own test turns it on (OrderWarmUpTests).
            "dukan.orders.warm-up", "0s");

    private static final AtomicInteger contexts = new AtomicInteger();

    private final TestDatabase shared;
    private final FakeBotApi sharedTelegram;
    private final Integer redisPort;
    private final Integer postgresPort;
    private final boolean defaultRelayNames;
    /** Who the service connects to PostgreSQL as; null: the servers' own user and password. */
    private final ContextConnections.Login login;

    /** A context of its own: new database, slot and fake Bot API, all cleaned up when it closes. */
    public DukanTestContext() {
        this(null, null);
    }

    private DukanTestContext(TestDatabase shared, FakeBotApi sharedTelegram) {
        this(shared, sharedTelegram, null, null, false, null);
    }

    private DukanTestContext(TestDatabase shared, FakeBotApi sharedTelegram, Integer redisPort, Integer postgresPort,
            boolean defaultRelayNames, ContextConnections.Login login) {
        this.login = login;
        this.shared = shared;
        this.sharedTelegram = sharedTelegram;
        this.redisPort = redisPort;
        this.postgresPort = postgresPort;
        this.defaultRelayNames = defaultRelayNames;
    }

    /** The same context on a Redis of the test's own (on localhost), which it may stop and restart. */
    public DukanTestContext onRedis(int port) {
        return new DukanTestContext(shared, sharedTelegram, port, postgresPort, defaultRelayNames, login);
    }

    /**
     * The same context reaching PostgreSQL through a port of the test's own on localhost (a
     * {@link FreezableProxy}): its datasource, relay and lease all go that way.
     */
    public DukanTestContext viaPostgresPort(int port) {
        return new DukanTestContext(shared, sharedTelegram, redisPort, port, defaultRelayNames, login);
    }

    /**
     * The same context without a configured slot or publication name: the service picks its
     * defaults. The test drops the slot it ends up with.
     */
    public DukanTestContext withDefaultRelayNames() {
        return new DukanTestContext(shared, sharedTelegram, redisPort, postgresPort, true, login);
    }

    /**
     * The same context connecting to PostgreSQL (datasource, Flyway, relay) with this password
     * instead of the servers' own: an empty one, say, where the server asks for none.
     */
    public DukanTestContext withPassword(String password) {
        return new DukanTestContext(shared, sharedTelegram, redisPort, postgresPort, defaultRelayNames,
                new ContextConnections.Login(null, password, false));
    }

    /**
     * The same context connecting as {@code user} with {@code password}, both given in the JDBC URL
     * alone ({@code ?user=...&password=...}), as a deployment may set {@code SPRING_DATASOURCE_URL}.
     */
    public DukanTestContext withLoginInUrl(String user, String password) {
        return new DukanTestContext(shared, sharedTelegram, redisPort, postgresPort, defaultRelayNames,
                new ContextConnections.Login(user, password, true));
    }

    /**
     * Another instance of the service on an existing database and slot, talking to the same fake
     * Bot API. The test that shares them drops the slot ({@link TestServers#dropSlot}) and closes the fake.
     */
    public static DukanTestContext sharing(TestDatabase database, FakeBotApi telegram) {
        return new DukanTestContext(database, telegram);
    }

    /** The first of several instances: a new database, the given fake; the test cleans up. */
    public static DukanTestContext firstOf(FakeBotApi telegram) {
        return new DukanTestContext(null, telegram);
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestServers servers = TestServers.get();
        String name = shared != null ? shared.name()
                : "dukan_t" + contexts.incrementAndGet() + "_" + ProcessHandle.current().pid();
        if (shared == null) {
            servers.createMigratedDatabase(name);
        }
        FakeBotApi telegram = sharedTelegram != null ? sharedTelegram : FakeBotApi.start();
        TestPropertyValues relayNames = defaultRelayNames ? TestPropertyValues.empty()
                : TestPropertyValues.of("dukan.relay.slot-name=" + name, "dukan.relay.publication-name=" + name);
        relayNames.and(
                "dukan.relay.stream=" + name + ":outbox",
                "telegram.bot-token=" + BOT_TOKEN,
                "telegram.chat-id=" + CHAT_ID,
                "telegram.api-url=" + telegram.url(),
                "dukan.ops.username=" + OPS_USER,
                "dukan.ops.password=" + OPS_PASSWORD,
                "server.port=0")
                .applyTo(context);
        // Below every other source, so a test's own @TestPropertySource or arguments win.
        context.getEnvironment().getPropertySources().addLast(new MapPropertySource("dukanTestDefaults", TEST_DEFAULTS));
        BeanDefinitionRegistry registry = (BeanDefinitionRegistry) context.getBeanFactory();
        // PostgreSQL and Redis as Spring Boot connection details (containers or embedded), narrowed to this context.
        registry.registerBeanDefinition("testInfrastructure", new RootBeanDefinition(TestInfrastructure.class));
        registry.registerBeanDefinition("contextConnections", BeanDefinitionBuilder.genericBeanDefinition(
                ContextConnections.class, () -> new ContextConnections(name, postgresPort, redisPort, login))
                .getBeanDefinition());
        context.getBeanFactory().registerSingleton("fakeBotApi", telegram);
        context.getBeanFactory().registerSingleton("testDatabase", new TestDatabase(name, servers));
        if (shared == null && sharedTelegram == null && !defaultRelayNames) {
            // A bean definition, not a registered singleton: only defined beans get destruction callbacks.
            registry.registerBeanDefinition("replicationSlotCleanup",
                    BeanDefinitionBuilder.genericBeanDefinition(SlotCleanup.class,
                            () -> new SlotCleanup(servers, name, telegram)).getBeanDefinition());
        }
    }

    /** The database, slot and publication name of one test context. */
    public record TestDatabase(String name, TestServers servers) {

        public String slotName() {
            return name;
        }
    }

    /**
     * Drops the context's replication slot and closes its fake Bot API when the context is
     * destroyed: after every lifecycle bean (the relay included) has stopped and released the slot.
     * Not a {@code SmartLifecycle}: the test framework pauses (stops) cached contexts it switches
     * away from, and a pause must not drop a slot the resumed relay still needs.
     */
    static final class SlotCleanup implements DisposableBean {

        private final TestServers servers;
        private final String slot;
        private final FakeBotApi telegram;

        SlotCleanup(TestServers servers, String slot, FakeBotApi telegram) {
            this.servers = servers;
            this.slot = slot;
            this.telegram = telegram;
        }

        @Override
        public void destroy() {
            telegram.close();
            try {
                servers.dropSlot(slot);
            }
            catch (IllegalStateException e) {
                // The servers may already be going down with the JVM; their slots go with them.
                System.err.println(e.getMessage());
            }
        }
    }
}
