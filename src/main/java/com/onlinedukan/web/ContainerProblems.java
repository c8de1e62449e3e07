package com.onlinedukan.web;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * What Tomcat refuses before any application code sees the request (a request line it cannot
 * parse, a character no request target may hold, headers over
 * {@code server.max-http-request-header-size} or too many of them, an HTTP version it does not
 * speak) is answered like every other bad request: a problem in {@code application/problem+json},
 * not Tomcat's HTML error page. It replaces Tomcat's error report valve, which writes only what
 * nothing else has written: every answer of the application itself passes through untouched.
 */
@Configuration(proxyBeanMethods = false)
class ContainerProblems {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> containerProblemsValve() {
        // Runs after Spring Boot's own customizer (order 0), whose error report valve it replaces.
        return factory -> factory.addContextCustomizers(context -> {
            Pipeline host = context.getParent().getPipeline();
            for (Valve valve : host.getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.removeValve(valve);
                }
            }
            // The host adds a valve of this class when it starts, unless it has one already.
            ((StandardHost) context.getParent()).setErrorReportValveClass(ProblemReportValve.class.getName());
            host.addValve(new ProblemReportValve());
        });
    }

    /** Tomcat's error report, as a problem. Public: the host may create one by its class name. */
    public static final class ProblemReportValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            // As Tomcat's own report: not for a success, nor when anything has been written, nor twice.
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            // The title is the status's reason phrase, as ProblemDetail gives it.
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail(status));
            problem.setType(type(status));
            try {
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(Problems.json(problem));
                    response.finishResponse();
                }
            }
            catch (IOException | IllegalStateException e) {
                // The client is gone or the answer has begun: nothing more can be said.
            }
        }

        private static URI type(int status) {
            return switch (status) {
                case 400 -> ProblemTypes.MALFORMED_REQUEST;
                case 404 -> ProblemTypes.NOT_FOUND;
                case 405 -> ProblemTypes.METHOD_NOT_ALLOWED;
                case 408 -> ProblemTypes.REQUEST_TIMEOUT;
                case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
                case 500 -> ProblemTypes.INTERNAL_ERROR;
                // No more to say than the status (RFC 9457's about:blank), as docs/problems.md has it.
                default -> URI.create("about:blank");
            };
        }

        /** Not Tomcat's words: they can quote the request back, and a problem's detail is ours to choose. */
        private static String detail(int status) {
            return switch (status) {
                case 400 -> "The server could not read the request: its request line or headers are malformed, "
                        + "or larger than it accepts";
                case 505 -> "The server speaks HTTP/1.1 (and HTTP/1.0)";
                default -> status >= 500 ? "The server could not answer the request" : "The server refused the request";
            };
        }
    }
}
