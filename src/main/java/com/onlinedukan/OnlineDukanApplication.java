package com.onlinedukan;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

// Redis commands are observed inside a trace only: infrastructure.TracingConfiguration sets Lettuce's tracing.
@SpringBootApplication(excludeName = "org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration")
@ConfigurationPropertiesScan
@EnableScheduling
public class OnlineDukanApplication {

    public static void main(String[] args) {
        SpringApplication.run(OnlineDukanApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
