/**
 * What the service runs on: the local default of a real embedded PostgreSQL (logical decoding on)
 * and Redis, offered as Spring Boot connection details when no datasource or Redis is configured,
 * so the whole pipeline runs on a machine with only a JDK; and the tracing set-up beyond Spring
 * Boot's defaults.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Infrastructure")
package com.onlinedukan.infrastructure;
