package com.advwell.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian's {@code chromium} and {@code chromium-driver} packages, driven by Selenium against the
 * console of a local cluster: navigation by the contract's hash routes and {@code data-testid} hooks, screenshots under
 * {@code target/console-screenshots/}, and axe-core injected into the page. Both paths are given to Selenium, so
 * Selenium Manager never looks for (or downloads) a browser or a driver.
 */
final class ConsoleBrowser implements AutoCloseable {

    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String CHROMIUM = "/usr/bin/chromium";
    static final Dimension DESKTOP = new Dimension(1280, 1000);
    static final Dimension PHONE = new Dimension(390, 844);
    /** Pages poll every 2 s; a state change shows after at most one poll and one render. */
    static final Duration WAIT = Duration.ofSeconds(20);

    final ChromeDriver driver;
    final WebDriverWait wait;
    private final String axeSource;
    private final Path screenshots;
    private String base;

    ConsoleBrowser(Path axeMinJs, Path screenshots) throws IOException {
        assertThat(Path.of(CHROMIUM))
                .as("Debian's chromium (scripts/test installs it)")
                .isExecutable();
        assertThat(Path.of(CHROMEDRIVER))
                .as("Debian's chromium-driver (scripts/test installs it)")
                .isExecutable();
        this.axeSource = Files.readString(axeMinJs);
        this.screenshots = screenshots;
        Files.createDirectories(screenshots);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // --no-sandbox: the build machines run as root in a container, where Chromium's sandbox cannot start;
        // /dev/shm is small there too
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--lang=en-US",
                "--window-size=" + DESKTOP.width + "," + DESKTOP.height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withLogOutput(OutputStreamDiscard.INSTANCE)
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().window().setSize(DESKTOP);
        // The console re-renders its live parts every poll, so an element found in one poll may be
        // gone in the next: a condition that meets a replaced element is simply asked again.
        wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class);
    }

    /** The replica whose console this browser opens ({@code http://127.0.0.1:<port>}). */
    void useReplica(String base) {
        this.base = base;
    }

    String base() {
        return base;
    }

    /** Opens {@code /console/#<route>} and waits until the page's {@code main} is there and no longer busy. */
    void open(String route, String page) {
        driver.get(base + "/console/#" + route);
        awaitPage(page);
    }

    /** Changes the route inside the running page (no reload). */
    void route(String route, String page) {
        js("location.hash = arguments[0];", route);
        awaitPage(page);
    }

    WebElement awaitPage(String page) {
        return wait.withMessage(() -> "page " + page + " at " + driver.getCurrentUrl() + ": " + bodyText())
                .until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("main[data-testid='page-" + page + "']:not([aria-busy='true'])")));
    }

    static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    WebElement await(By by) {
        return wait.withMessage(() -> by + " at " + driver.getCurrentUrl() + ": " + bodyText())
                .until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /**
     * Clicks the visible element {@code by}, found again if a live update replaced it between finding and clicking (a
     * stale element refuses the click before anything is dispatched, so nothing is clicked twice).
     */
    void click(By by) {
        until(by + " clicked", driver -> {
            WebElement element = driver.findElement(by);
            if (!element.isDisplayed()) {
                return false;
            }
            element.click();
            return true;
        });
    }

    /** The text of the visible element {@code by}, read again if a live update replaced the element. */
    String textOf(By by) {
        return until(by + " shown", driver -> {
            WebElement element = driver.findElement(by);
            return element.isDisplayed() ? element.getText() : null;
        });
    }

    <T> T until(String what, ExpectedCondition<T> condition) {
        return wait.withMessage(() -> what + " at " + driver.getCurrentUrl() + ": " + bodyText())
                .until(condition);
    }

    String bodyText() {
        try {
            String text = driver.findElement(By.tagName("body")).getText();
            return text.length() > 1500 ? text.substring(0, 1500) + "..." : text;
        } catch (RuntimeException e) {
            return "(no body: " + e.getMessage() + ")";
        }
    }

    /**
     * Clicks a button whose action may ask for confirmation first: when the contract's {@code <dialog
     * data-testid="confirm">} opens, answers yes; then waits for the outcome.
     */
    void clickConfirmingIfAsked(By button, String outcome, ExpectedCondition<?> done) {
        click(button);
        By dialog = By.cssSelector("dialog[data-testid='confirm'][open]");
        Object first = until(
                outcome + " or a confirmation",
                ExpectedConditions.or(ExpectedConditions.presenceOfElementLocated(dialog), done));
        if (!driver.findElements(dialog).isEmpty()) {
            click(By.cssSelector("dialog[data-testid='confirm'][open] [data-testid='confirm-yes']"));
            until(outcome, done);
        } else {
            assertThat(first).isNotNull();
        }
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Deletes every cookie of the console's origin (the next page load starts signed out). */
    void forgetSession() {
        if (base != null && !driver.getCurrentUrl().startsWith(base)) {
            driver.get(base + "/console/");
        }
        driver.manage().deleteAllCookies();
    }

    Cookie sessionCookie() {
        return driver.manage().getCookieNamed("advwell_session");
    }

    /** Saves the viewport as {@code <page>.png}; returns the file. */
    Path screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path target = screenshots.resolve(name + ".png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** Saves the page at a phone's width (390 px), then returns to the desktop size. */
    Path phoneScreenshot(String name, String page) throws IOException {
        driver.manage().window().setSize(PHONE);
        try {
            awaitPage(page);
            return screenshot(name);
        } finally {
            driver.manage().window().setSize(DESKTOP);
        }
    }

    /** One axe-core finding: rule id, impact, help text and how many nodes it names. */
    record Violation(String id, String impact, String help, int nodes) {
        boolean blocking() {
            return "serious".equals(impact) || "critical".equals(impact);
        }
    }

    /** Injects axe-core (the npm package's axe.min.js) into the page when missing and runs it on the document. */
    @SuppressWarnings("unchecked")
    List<Violation> axe() {
        // run as WebDriver script (not a <script> element or eval, which the console's CSP rightly refuses)
        if (!Boolean.TRUE.equals(js("return !!window.axe;"))) {
            js(axeSource);
        }
        Object result = ((JavascriptExecutor) driver)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + "axe.run(document, {resultTypes: ['violations']})"
                        + ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact || 'none', help: v.help,"
                        + " nodes: v.nodes.length}))))"
                        + ".catch(e => done('axe failed: ' + e));");
        assertThat(result).as("axe-core result").isInstanceOf(List.class);
        List<Violation> violations = new ArrayList<>();
        for (Map<String, Object> v : (List<Map<String, Object>>) result) {
            violations.add(new Violation(
                    (String) v.get("id"),
                    (String) v.get("impact"),
                    (String) v.get("help"),
                    ((Number) v.get("nodes")).intValue()));
        }
        return violations;
    }

    @Override
    public void close() {
        driver.quit();
    }

    /** Chromedriver's own log is noise in the test output; its exit status is what matters. */
    private static final class OutputStreamDiscard extends java.io.OutputStream {
        static final OutputStreamDiscard INSTANCE = new OutputStreamDiscard();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
