package com.onlinedukan.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * RFC 9457 problems as every web adapter gives them: an exception handler returns one made here,
 * and a servlet filter, which answers before Spring MVC could, {@link #write writes} it, so that
 * both answers look alike.
 */
public final class Problems {

    /** A bad part of the request: its JSON path, parameter or header, and what is wrong with it. */
    public record FieldError(String field, String message) {
    }

    private Problems() {
    }

    public static ProblemDetail of(HttpStatus status, URI type, String title, String detail) {
        return of(status, type, title, detail, List.of());
    }

    /** With {@code errors}, one {@code {field, message}} per bad field; none when the list is empty. */
    public static ProblemDetail of(HttpStatus status, URI type, String title, String detail,
            List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors.stream()
                    .map(e -> Map.of("field", e.field(), "message", e.message())).toList());
        }
        return problem;
    }

    /**
     * Answers with the problem: its status, {@code application/problem+json} in UTF-8, and
     * {@code type}, {@code title}, {@code status}, {@code detail}, then its own properties, as JSON.
     * The caller sets any other header first.
     */
    public static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        // A string, not the writer: the mapper would close the writer, and with it the response.
        response.getWriter().write(json(problem));
    }

    /** The problem's JSON, as {@link #write} sends it. */
    static String json(ProblemDetail problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        if (problem.getTitle() != null) {
            body.put("title", problem.getTitle());
        }
        body.put("status", problem.getStatus());
        if (problem.getDetail() != null) {
            body.put("detail", problem.getDetail());
        }
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return JsonMapper.shared().writeValueAsString(body);
    }
}
