package com.onlinedukan.telegram;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.onlinedukan.OnlineDukanApplication;
import com.onlinedukan.support.DukanTestContext;
import com.onlinedukan.support.OpsClient;
import com.onlinedukan.support.TestServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Invariant: a configuration that would lose notifications does not start. With a datasource
 * configured (a deployment: its own PostgreSQL and Redis) and no usable bot token — unset, empty or
 * blank, a secret that failed to mount — the real application refuses to start with a message
 * naming {@code TELEGRAM_BOT_TOKEN} and never a token's value, unless the dry run is asked for
 * ({@code dukan.telegram.dry-run=true}), which starts and says "dry run" (gauge, health, pipeline).
 */
@Tag("full-stack")
class DeploymentWithoutTokenTests {

    static final String SECRET = "777:NEVER-in-a-message";

    @ParameterizedTest(name = "token {0}")
    @MethodSource("unusableTokens")
    void aDeploymentWithoutATokenDoesNotStartAndNamesTelegramBotToken(String description, List<String> token) {
        List<String> args = new ArrayList<>(deployment(database()));
        args.addAll(token);

        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(OnlineDukanApplication.class)
                .run(args.toArray(String[]::new)).close());

        assertThat(failure).as("the start fails").isNotNull();
        assertThat(messages(failure)).contains("TELEGRAM_BOT_TOKEN").contains("dukan.telegram.dry-run=true");
        assertThat(messages(failure)).doesNotContain(TestServers.get().password());
    }

    static Stream<Arguments> unusableTokens() {
        return Stream.of(
                Arguments.of("unset", List.of()),
                Arguments.of("empty", List.of("--telegram.bot-token=")),
                Arguments.of("blank", List.of("--telegram.bot-token=   ")),
                Arguments.of("a tab", List.of("--telegram.bot-token=\t")));
    }

    /**
     * What is not a token (quotes around it, the variable's name copied with it, a second line,
     * no bot id) does not start, naming {@code TELEGRAM_BOT_TOKEN} and never showing the value: it
     * would otherwise start, and Telegram would refuse every send as if the bot had been banned.
     */
    @ParameterizedTest(name = "token {0}")
    @MethodSource("malformedTokens")
    void aMalformedTokenDoesNotStartAndIsNeverShown(String description, String token) {
        assertThat(failedStart(token, "-100")).contains("TELEGRAM_BOT_TOKEN").doesNotContain("NEVER");
    }

    static Stream<Arguments> malformedTokens() {
        return Stream.of(
                Arguments.of("in quotes", "\"" + SECRET + "\""),
                Arguments.of("with its variable's name", "TELEGRAM_BOT_TOKEN=" + SECRET),
                Arguments.of("with a second line", SECRET + "\n" + SECRET),
                Arguments.of("with a space inside", SECRET.replace(":", ": ")),
                Arguments.of("without the bot id", SECRET.substring(SECRET.indexOf(':') + 1)));
    }

    /** A chat id that is no chat's (a name, quotes, a second line) does not start either, naming TELEGRAM_CHAT_ID. */
    @ParameterizedTest(name = "chat {0}")
    @MethodSource("malformedChats")
    void aMalformedChatIdDoesNotStart(String description, String chat) {
        assertThat(failedStart(SECRET, chat)).contains("TELEGRAM_CHAT_ID").doesNotContain("NEVER");
    }

    /** A deployment with this token and chat, which must fail to start: the messages of its failure. */
    private static String failedStart(String token, String chat) {
        List<String> args = new ArrayList<>(deployment(database()));
        args.add("--telegram.bot-token=" + token);
        args.add("--telegram.chat-id=" + chat);

        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(OnlineDukanApplication.class)
                .run(args.toArray(String[]::new)).close());

        assertThat(failure).as("the start fails").isNotNull();
        return messages(failure);
    }

    static Stream<Arguments> malformedChats() {
        return Stream.of(
                Arguments.of("a name", "Shop staff"),
                Arguments.of("in quotes", "\"-1001234567890\""),
                Arguments.of("with a second line", "-1001234567890\n-1009999999999"));
    }

    /**
     * A token (and a chat id) mounted from a file, with the line break (and any spaces) around it, is the token:
     * the fake Bot API is called at {@code /bot<token>/}, not {@code /bot<token>%0A/}, and the order
     * reaches the chat.
     */
    @Test
    void aTokenMountedWithALineBreakAroundItIsReadWithoutIt() {
        String database = database();
        List<String> args = new ArrayList<>(deployment(database));
        args.add("--telegram.bot-token=\n  " + SECRET + " \r\n");
        args.add("--telegram.chat-id=" + DukanTestContext.CHAT_ID + "\n");
        try (com.onlinedukan.support.FakeBotApi telegram = com.onlinedukan.support.FakeBotApi.start()) {
            args.add("--telegram.api-url=" + telegram.url());
            try (ConfigurableApplicationContext service = new SpringApplicationBuilder(OnlineDukanApplication.class)
                    .run(args.toArray(String[]::new))) {
                var orders = new com.onlinedukan.support.Orders(((WebServerApplicationContext) service).getWebServer().getPort());
                String orderId = orders.placeMany("Mounted token", 1).get(0);

                telegram.awaitEachAcceptedOnce(List.of(orderId), java.time.Duration.ofSeconds(30));
                assertThat(telegram.requests()).extracting(com.onlinedukan.support.FakeBotApi.Request::token)
                        .containsOnly(SECRET);
                assertThat(telegram.accepted()).extracting(com.onlinedukan.support.FakeBotApi.Request::chatId)
                        .containsOnly(DukanTestContext.CHAT_ID);
            }
        }
        finally {
            TestServers.get().dropSlot(database);
        }
    }

    /** A token without its chat in a deployment fails too, naming the chat and never the token. */
    @Test
    void aDeploymentWithATokenButNoChatDoesNotStartAndKeepsTheTokenSecret() {
        List<String> args = new ArrayList<>(deployment(database()));
        args.add("--telegram.bot-token=" + SECRET);
        args.add("--telegram.chat-id=");

        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(OnlineDukanApplication.class)
                .run(args.toArray(String[]::new)).close());

        assertThat(messages(failure)).contains("TELEGRAM_CHAT_ID").doesNotContain(SECRET).doesNotContain("NEVER");
    }

    @ParameterizedTest(name = "token {0}")
    @MethodSource("anyToken")
    void aDeploymentAskingForTheDryRunStartsAndSaysDryRun(String description, List<String> token) {
        String database = database();
        List<String> args = new ArrayList<>(deployment(database));
        args.addAll(token);
        args.add("--dukan.telegram.dry-run=true");
        args.add("--dukan.ops.username=" + DukanTestContext.OPS_USER);
        args.add("--dukan.ops.password=" + DukanTestContext.OPS_PASSWORD);
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(OnlineDukanApplication.class)
                .run(args.toArray(String[]::new))) {
            assertThat(service.getBean(TelegramSender.class)).isInstanceOf(DryRunSender.class);
            assertThat(service.getBean(MeterRegistry.class).get("dukan.telegram.dry.run").gauge().value()).isEqualTo(1);
            OpsClient ops = new OpsClient(((WebServerApplicationContext) service).getWebServer().getPort());
            JsonNode pipeline = ops.call("GET", "/api/ops/pipeline", null).body();
            assertThat(pipeline.path("telegram").path("dryRun").asBoolean()).isTrue();
            JsonNode health = ops.call("GET", "/actuator/health/telegram", null).body();
            assertThat(health.path("status").asString()).isEqualTo("WARNING");
            assertThat(health.path("details").path("dryRun").asBoolean()).isTrue();
        }
        finally {
            TestServers.get().dropSlot(database);
        }
    }

    static Stream<Arguments> anyToken() {
        return Stream.of(
                Arguments.of("empty", List.of("--telegram.bot-token=")),
                Arguments.of("set", List.of("--telegram.bot-token=" + SECRET, "--telegram.chat-id=-100")));
    }

    private static String database() {
        String name = "dukan_notoken_" + System.nanoTime() + "_" + ProcessHandle.current().pid();
        TestServers.get().createDatabase(name);
        return name;
    }

    /** Its own PostgreSQL and Redis, as a deployment configures them: properties, not connection details. */
    private static List<String> deployment(String database) {
        TestServers servers = TestServers.get();
        return List.of(
                "--spring.datasource.url=" + servers.jdbcUrl(database),
                "--spring.datasource.username=" + servers.user(),
                "--spring.datasource.password=" + servers.password(),
                "--spring.data.redis.host=" + servers.redisHost(),
                "--spring.data.redis.port=" + servers.redisPort(),
                "--dukan.relay.slot-name=" + database,
                "--dukan.relay.publication-name=" + database,
                "--dukan.relay.stream=" + database + ":outbox",
                "--server.port=0");
    }

    private static String messages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        return messages.toString();
    }
}
