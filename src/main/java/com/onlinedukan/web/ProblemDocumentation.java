package com.onlinedukan.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.stereotype.Component;

/**
 * The problem answers in the OpenAPI document, in one place: the {@value #SCHEMA} schema (the RFC 9457
 * body {@link Problems} makes), the problems every operation can answer (406, 500), and the one way a
 * module's web adapter declares one of its own ({@link #declare}).
 */
@Component
public class ProblemDocumentation implements OpenApiCustomizer {

    /** The schema every problem answer refers to. */
    public static final String SCHEMA = "Problem";

    /**
     * Declares that an operation can answer {@code status} with the problem type {@code type}, unless
     * it declares that status itself.
     */
    public static void declare(ApiResponses responses, String status, String type, String description) {
        if (responses.containsKey(status)) {
            return;
        }
        responses.addApiResponse(status, new ApiResponse()
                .description(description + " (problem type /problems/" + type + ")")
                .content(new Content().addMediaType("application/problem+json",
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + SCHEMA)))));
    }

    @Override
    public void customise(OpenAPI api) {
        api.getComponents().addSchemas(SCHEMA, schema());
        api.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            declare(operation.getResponses(), "406", "not-acceptable", "The Accept header admits no JSON");
            declare(operation.getResponses(), "500", "internal-error",
                    "An unexpected error; the body names no internals");
        }));
    }

    private static Schema<?> schema() {
        ObjectSchema error = new ObjectSchema();
        error.addProperty("field", new StringSchema().description("the bad field, as a JSON path into the request"));
        error.addProperty("message", new StringSchema());
        Schema<?> problem = new ObjectSchema().description("RFC 9457 problem details; `type` tells errors apart "
                + "(docs/problems.md describes each)");
        problem.setProperties(new LinkedHashMap<>(Map.of(
                "type", new StringSchema().example("/problems/validation"),
                "title", new StringSchema(),
                "status", new IntegerSchema(),
                "detail", new StringSchema(),
                "instance", new StringSchema(),
                "errors", new ArraySchema().items(error).description("each bad field (validation problems only)"))));
        return problem;
    }
}
