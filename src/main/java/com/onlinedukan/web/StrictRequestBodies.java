package com.onlinedukan.web;

import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Request bodies are read as they are typed: a string where a number belongs ({@code "quantity": "2"})
 * and a number or boolean where text belongs ({@code "name": 5}) are a 400 naming the field
 * ({@code /problems/malformed-request}), as docs/api.md says, not a value the service made up from
 * another. Only the HTTP converter reads this strictly; the application's own mapper (events, the
 * ledger's payloads) is the one Spring Boot configures, so an event written by any version reads as
 * before.
 */
@Configuration(proxyBeanMethods = false)
class StrictRequestBodies implements WebMvcConfigurer {

    private final JsonMapper jsonMapper;

    StrictRequestBodies(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /**
     * Spring Boot's JSON converter, in its place among the converters (after Spring Boot's own
     * configurer, which runs first), over its mapper with coercion between scalar types turned off.
     */
    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder converters) {
        JsonMapper strict = jsonMapper.rebuild()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Textual, text -> text
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
        converters.withJsonConverter(new JacksonJsonHttpMessageConverter(strict));
    }
}
