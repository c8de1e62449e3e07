package com.onlinedukan.bench;

import com.onlinedukan.support.FakeBotApi;

/**
 * The benchmark's fake Bot API as a process of its own, for bench/aot-cache.sh: a training run that
 * sends its orders to Telegram through the real client, as the benchmark's service does, puts that
 * client's classes and method profiles into the AOT cache too (in dry run it never loads them).
 * Prints its base URL on the first line, then serves until the process is stopped.
 */
public final class FakeTelegram {

    private FakeTelegram() {
    }

    public static void main(String[] args) throws InterruptedException {
        FakeBotApi telegram = FakeBotApi.start(1, false);
        System.out.println(telegram.url());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
