package com.onlinedukan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository documents itself: someone who clones it finds every page a README or docs link
 * names, and no link sends them outside it.
 */
class DocumentationLinksTests {

    static final Pattern MARKDOWN_LINK = Pattern.compile("(?<!!)\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    static final Pattern BARE_URL = Pattern.compile("\\b(?:https?|ftp)://[^\\s)>`\"']+");
    static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)=\"([^\"]+)\"");
    static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "0.0.0.0", "[::1]");

    @Test
    void everyLinkStaysInsideTheRepositoryAndFindsItsTarget() {
        List<String> problems = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = prose(page);
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n);
                String where = Path.of("").toAbsolutePath().relativize(page.toAbsolutePath()) + ":" + (n + 1);
                Matcher link = MARKDOWN_LINK.matcher(line);
                while (link.find()) {
                    String target = link.group(1);
                    String problem = checkTarget(page, target);
                    if (problem != null) {
                        problems.add(where + " " + target + ": " + problem);
                    }
                }
                Matcher url = BARE_URL.matcher(MARKDOWN_LINK.matcher(CODE_SPAN.matcher(line).replaceAll("")).replaceAll(""));
                while (url.find()) {
                    if (!isLocal(url.group())) {
                        problems.add(where + " " + url.group() + ": leaves the repository");
                    }
                }
            }
        }
        assertThat(problems).as("links in the repository's documentation").isEmpty();
    }

    @Test
    void theReadmeLinksTheDocsPages() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (Path page : pages()) {
            if (page.startsWith(Path.of("docs")) && page.toString().endsWith(".md")) {
                assertThat(readme).as("README.md links %s", page).contains("](" + page.toString().replace('\\', '/'));
            }
        }
    }

    static String checkTarget(Path page, String target) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return "leaves the repository";
        }
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
        Path resolved = file.isEmpty() ? page.toAbsolutePath()
                : page.toAbsolutePath().getParent().resolve(file).normalize();
        if (!resolved.startsWith(Path.of("").toAbsolutePath())) {
            return "leaves the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
            return "no heading with that anchor";
        }
        return null;
    }

    static boolean isLocal(String url) {
        String rest = url.substring(url.indexOf("://") + 3);
        String host = rest.split("[/:?#]", 2)[0];
        return LOCAL_HOSTS.contains(host) || rest.startsWith("[::1]");
    }

    /**
     * GitHub's heading anchors (of the heading's text without HTML tags: lower case, punctuation
     * dropped, spaces as hyphens), and the explicit ones of HTML anchors ({@code <a id="alert-…">},
     * as the runbook's headings carry).
     */
    static Set<String> anchors(Path page) {
        Set<String> anchors = new TreeSet<>();
        for (String line : prose(page)) {
            Matcher html = HTML_ANCHOR.matcher(line);
            while (html.find()) {
                anchors.add(html.group(1));
            }
            if (line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").replaceAll("<[^>]*>", "").trim().toLowerCase(Locale.ROOT);
                anchors.add(heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    /** The page's lines outside fenced code blocks (code shows commands, not links). */
    static List<String> prose(Path page) {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        try {
            for (String line : Files.readAllLines(page)) {
                if (line.trim().startsWith("```")) {
                    fenced = !fenced;
                    lines.add("");
                } else {
                    lines.add(fenced ? "" : line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    static List<Path> pages() {
        List<Path> pages = new ArrayList<>();
        for (String top : List.of("README.md", "ARCHITECTURE.md", "BENCHMARKS.md")) {
            if (Files.exists(Path.of(top))) {
                pages.add(Path.of(top));
            }
        }
        for (String dir : List.of("docs", "chaos", "bench", "ops", "debezium-server")) {
            if (Files.isDirectory(Path.of(dir))) {
                try (Stream<Path> files = Files.walk(Path.of(dir))) {
                    pages.addAll(files.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return pages;
    }
}
