package dev.languageranker.answers;

import dev.languageranker.answers.MathAnswer.Bracketed;
import dev.languageranker.answers.MathAnswer.Collection;
import dev.languageranker.answers.MathAnswer.Labelled;
import dev.languageranker.answers.MathAnswer.Matrix;
import dev.languageranker.answers.MathAnswer.Membership;
import dev.languageranker.answers.MathAnswer.Relation;
import dev.languageranker.answers.MathAnswer.Relations;
import dev.languageranker.answers.MathAnswer.Scalar;
import dev.languageranker.answers.MathAnswer.Text;
import dev.languageranker.answers.MathAnswer.Union;
import dev.languageranker.answers.MathExpr.Binary;
import dev.languageranker.answers.MathExpr.Call;
import dev.languageranker.answers.MathExpr.Constant;
import dev.languageranker.answers.MathExpr.Negation;
import dev.languageranker.answers.MathExpr.Num;
import dev.languageranker.answers.MathExpr.Operator;
import dev.languageranker.answers.MathExpr.Variable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a final answer written in LaTeX or plain text into a {@link MathAnswer}: cleans the LaTeX noise models
 * write ({@code \left}, {@code \dfrac}, spacing, {@code \text{}} units, degrees, dollars), tokenizes, and reads the
 * result with a small recursive-descent grammar. Written by hand because no permissively licensed Java library on
 * Maven Central parses LaTeX math into an expression tree (see the root README). Thread-safe.
 */
public final class LatexAnswerParser {

  private static final int MAX_LENGTH = 2_000;
  private static final int MAX_DEPTH = 60;

  private static final Pattern SIZING = Pattern
      .compile("\\\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|big|Big|bigg|Bigg)(?![A-Za-z])\\.?");
  private static final Pattern DEGREES = Pattern
      .compile("\\^\\s*\\{?\\s*\\\\circ\\s*\\}?|°|\\\\degree(?![A-Za-z])|\\\\circ(?![A-Za-z])");
  private static final Pattern TRIGONOMETRY = Pattern.compile("(?:sin|cos|tan|sec|csc|cot)(?![a-z])");
  private static final Pattern THIN_THOUSANDS = Pattern.compile("(?<=\\d)(?:\\\\[,;:! ]|\\{,\\})(?=\\d{3}(?!\\d))");
  private static final Pattern SPACING = Pattern
      .compile("(?<!\\\\)\\\\[,;: ]|\\\\q?quad(?![A-Za-z])|~|\\\\displaystyle(?![A-Za-z])|\\\\limits(?![A-Za-z])");
  private static final Pattern PERCENT_WORD = Pattern
      .compile("\\s*(?:\\\\%|%|\\bpercent\\b|\\bper\\s+cent\\b|\\bpct\\b\\.?)", Pattern.CASE_INSENSITIVE);
  private static final Pattern DELIMITERS = Pattern.compile("\\$|(?<!\\\\)\\\\[\\[\\]()]");
  private static final Pattern LONE_BACKSLASH = Pattern.compile("(?<!\\\\)\\\\(?!\\\\)");
  private static final Pattern DOUBLED_COMMAND = Pattern.compile("\\\\\\\\(?=[A-Za-z])");
  private static final Pattern THOUSANDS_AT = Pattern.compile("\\d{1,3}(?:,\\d{3})+(?![\\d])");

  private static final Set<String> FUNCTIONS = Set.of("sin", "cos", "tan", "sec", "csc", "cot", "arcsin", "arccos",
      "arctan", "sinh", "cosh", "tanh", "log", "ln", "exp", "lg");
  private static final Set<String> GREEK = Set.of("alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta",
      "eta", "theta", "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi",
      "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega");
  private static final Set<String> MATRICES = Set.of("pmatrix", "bmatrix", "Bmatrix", "matrix", "smallmatrix", "array");
  private static final Map<String, String> SYMBOL_COMMANDS = Map.ofEntries(
      Map.entry("cdot", "*"), Map.entry("times", "*"), Map.entry("ast", "*"), Map.entry("div", "/"),
      Map.entry("le", "<="), Map.entry("leq", "<="), Map.entry("leqslant", "<="), Map.entry("ge", ">="),
      Map.entry("geq", ">="), Map.entry("geqslant", ">="), Map.entry("lt", "<"), Map.entry("gt", ">"),
      Map.entry("ne", "!="), Map.entry("neq", "!="), Map.entry("approx", "="), Map.entry("in", "in"),
      Map.entry("cup", "cup"), Map.entry("pm", "pm"), Map.entry("mp", "pm"), Map.entry("lvert", "|"),
      Map.entry("rvert", "|"), Map.entry("vert", "|"), Map.entry("mid", "|"), Map.entry("lbrace", "\\{"),
      Map.entry("rbrace", "\\}"), Map.entry("land", "and"), Map.entry("wedge", "and"), Map.entry("text{and}", "and"));

  enum Kind { NUMBER, IDENT, CONSTANT, FUNCTION, COMMAND, TEXT, WORD, BEGIN, END, SYMBOL, EOF }

  record Token(Kind kind, String text, int start, int end) {
    boolean is(String symbol) {
      return (kind == Kind.SYMBOL || kind == Kind.COMMAND) && text.equals(symbol);
    }
  }

  /** Parses {@code answer}; throws {@link UnparseableAnswerException} with the reason when it cannot. */
  public MathAnswer parse(String answer, Deadline deadline) {
    if (answer.length() > MAX_LENGTH) {
      throw UnparseableAnswerException.limit("answer longer than " + MAX_LENGTH + " characters");
    }
    String cleaned = clean(answer);
    if (cleaned.isEmpty()) {
      throw new UnparseableAnswerException("empty answer");
    }
    List<Token> tokens = new Tokenizer(cleaned, deadline).tokens();
    return new Parser(cleaned, tokens, deadline).answer();
  }

  /** The answer with LaTeX noise removed, still as text. */
  static String clean(String answer) {
    String s = answer.strip();
    // Every backslash doubled (\\dfrac): the answer was escaped once too often, as JSON or a string literal.
    if (DOUBLED_COMMAND.matcher(s).find() && !LONE_BACKSLASH.matcher(s).find()) {
      s = s.replace("\\\\", "\\");
    }
    s = SIZING.matcher(s).replaceAll("");
    s = s.replace("\\$", " ");
    s = DELIMITERS.matcher(s).replaceAll(" ");
    s = s.replaceAll("(?<!\\\\)\\\\!", "").replace('\u2212', '-');
    // Degrees are a unit to drop (90^\\circ = 90), except inside trigonometric functions, where they are pi/180.
    s = DEGREES.matcher(s).replaceAll(TRIGONOMETRY.matcher(s).find() ? "\u00b0" : "");
    s = THIN_THOUSANDS.matcher(s).replaceAll("");
    s = s.replace("{,}", "");
    s = SPACING.matcher(s).replaceAll(" ");
    s = PERCENT_WORD.matcher(s).replaceAll("%");
    s = s.strip();
    while (!s.isEmpty() && (s.endsWith(".") || s.endsWith(",") || s.endsWith(";"))) {
      s = s.substring(0, s.length() - 1).strip();
      if (s.endsWith("\\")) {
        s = s.substring(0, s.length() - 1).strip();
      }
    }
    return s;
  }

  /** Splits cleaned text into tokens. */
  private static final class Tokenizer {
    private final String s;
    private final Deadline deadline;
    private final List<Token> out = new ArrayList<>();
    private int i;

    Tokenizer(String s, Deadline deadline) {
      this.s = s;
      this.deadline = deadline;
    }

    List<Token> tokens() {
      while (i < s.length()) {
        deadline.check();
        char c = s.charAt(i);
        int start = i;
        if (Character.isWhitespace(c)) {
          i++;
        } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
          number();
        } else if (isAsciiLetter(c)) {
          letters();
        } else if (c == '\\') {
          command();
        } else {
          i++;
          String sym = switch (c) {
            case '<', '>', '!' -> {
              if (i < s.length() && s.charAt(i) == '=') {
                i++;
                yield c + "=";
              }
              yield String.valueOf(c);
            }
            case '\u2264' -> "<=";
            case '\u2265' -> ">=";
            case '\u2260' -> "!=";
            case '\u00d7', '\u00b7', '\u22c5' -> "*";
            case '\u00f7' -> "/";
            case '\u221e' -> null;
            case '\u03c0' -> null;
            case '\u221a' -> null;
            case '\u00b0' -> "deg";
            case '+', '-', '*', '/', '^', '_', '(', ')', '[', ']', '{', '}', ',', ';', '=', '|', '&', '\'', '%', ':' ->
              String.valueOf(c);
            default -> throw new UnparseableAnswerException("unexpected character '" + c + "'");
          };
          if (c == '\u221e') {
            add(Kind.CONSTANT, "infinity", start);
          } else if (c == '\u03c0') {
            add(Kind.CONSTANT, "pi", start);
          } else if (c == '\u221a') {
            add(Kind.COMMAND, "sqrt", start);
          } else {
            add(Kind.SYMBOL, sym, start);
          }
        }
      }
      out.add(new Token(Kind.EOF, "end of answer", s.length(), s.length()));
      return out;
    }

    private void add(Kind kind, String text, int start) {
      out.add(new Token(kind, text, start, i));
    }

    private void number() {
      int start = i;
      var thousands = THOUSANDS_AT.matcher(s).region(i, s.length());
      if (thousands.lookingAt() && (start == 0 || !Character.isDigit(s.charAt(start - 1)))) {
        i = thousands.end();
      } else {
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
      }
      if (i + 1 < s.length() && s.charAt(i) == '.' && Character.isDigit(s.charAt(i + 1))) {
        i++;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
      }
      // Scientific notation: 1.5e-3, 2E+10 (a lone e after a number is Euler's number).
      if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        int j = i + 1;
        if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
          j++;
        }
        if (j < s.length() && Character.isDigit(s.charAt(j))
            && (j + 1 >= s.length() || !isAsciiLetter(s.charAt(j + 1)))) {
          while (j < s.length() && Character.isDigit(s.charAt(j))) {
            j++;
          }
          i = j;
        }
      }
      add(Kind.NUMBER, s.substring(start, i).replace(",", ""), start);
    }

    private void letters() {
      int start = i;
      while (i < s.length() && isAsciiLetter(s.charAt(i))) {
        i++;
      }
      String run = s.substring(start, i);
      String lower = run.toLowerCase(java.util.Locale.ROOT);
      if (FUNCTIONS.contains(run)) {
        add(Kind.FUNCTION, run.equals("lg") ? "log10" : run, start);
      } else if (run.equals("sqrt")) {
        add(Kind.COMMAND, "sqrt", start);
      } else if (lower.equals("and") || lower.equals("or")) {
        add(Kind.SYMBOL, "and", start);
      } else if (run.equals("pi")) {
        add(Kind.CONSTANT, "pi", start);
      } else if (lower.equals("inf") || lower.equals("infty") || lower.equals("infinity")) {
        add(Kind.CONSTANT, "infinity", start);
      } else if (run.length() >= 3) {
        add(Kind.WORD, run, start);
      } else {
        for (int k = 0; k < run.length(); k++) {
          char letter = run.charAt(k);
          out.add(letter == 'e'
              ? new Token(Kind.CONSTANT, "e", start + k, start + k + 1)
              : new Token(Kind.IDENT, String.valueOf(letter), start + k, start + k + 1));
        }
      }
    }

    private void command() {
      int start = i;
      i++;
      if (i >= s.length()) {
        throw new UnparseableAnswerException("a lone backslash");
      }
      char c = s.charAt(i);
      if (!isAsciiLetter(c)) {
        i++;
        switch (c) {
          case '{' -> add(Kind.SYMBOL, "\\{", start);
          case '}' -> add(Kind.SYMBOL, "\\}", start);
          case '\\' -> add(Kind.SYMBOL, "\\\\", start);
          case '|' -> add(Kind.SYMBOL, "|", start);
          case '%' -> add(Kind.SYMBOL, "%", start);
          case ',', ';', ':', '!', ' ' -> {
          }
          default -> throw new UnparseableAnswerException("unknown LaTeX command \\" + c);
        }
        return;
      }
      while (i < s.length() && isAsciiLetter(s.charAt(i))) {
        i++;
      }
      String name = s.substring(start + 1, i);
      switch (name) {
        case "frac", "dfrac", "tfrac", "cfrac" -> add(Kind.COMMAND, "frac", start);
        case "sqrt" -> add(Kind.COMMAND, "sqrt", start);
        case "binom", "dbinom", "tbinom", "choose" -> add(Kind.COMMAND, "binom", start);
        case "lfloor", "rfloor", "lceil", "rceil" -> add(Kind.COMMAND, name, start);
        case "pi" -> add(Kind.CONSTANT, "pi", start);
        case "infty", "infin" -> add(Kind.CONSTANT, "infinity", start);
        case "emptyset", "varnothing" -> add(Kind.CONSTANT, "emptyset", start);
        case "boxed", "fbox", "displaystyle", "left", "right", "quad", "qquad", "circ", "limits", "nolimits" -> {
        }
        case "text", "textbf", "textit", "textrm", "textnormal", "textsf", "mbox", "mathrm", "mathbf", "mathit",
            "operatorname", "hbox", "mathsf" ->
          text(name, start);
        case "mathbb" -> {
          String content = braced();
          if (!content.strip().equals("R")) {
            throw new UnparseableAnswerException("unsupported set \\mathbb{" + content + "}");
          }
          add(Kind.CONSTANT, "reals", start);
        }
        case "begin", "end" -> add(name.equals("begin") ? Kind.BEGIN : Kind.END, braced().strip(), start);
        case "dots", "ldots", "cdots", "vdots", "ddots" ->
          throw new UnparseableAnswerException("an ellipsis (\\" + name + ") has no single value");
        default -> {
          if (FUNCTIONS.contains(name) || name.equals("arcsec") || name.equals("arccsc")) {
            add(Kind.FUNCTION, name, start);
          } else if (GREEK.contains(name)) {
            add(Kind.IDENT, "\\" + name, start);
          } else if (SYMBOL_COMMANDS.containsKey(name)) {
            add(Kind.SYMBOL, SYMBOL_COMMANDS.get(name), start);
          } else {
            throw new UnparseableAnswerException("unknown LaTeX command \\" + name);
          }
        }
      }
    }

    /** {@code \text{...}}: "and"/"or" separate answers, a single letter is a variable, anything else is a word or unit. */
    private void text(String command, int start) {
      String content = braced().strip();
      String plain = content.replaceAll("[\\s.]+$", "");
      if (command.equals("operatorname")
          && (FUNCTIONS.contains(plain) || plain.equals("arcsec") || plain.equals("arccsc"))) {
        add(Kind.FUNCTION, plain, start);
      } else if (plain.equalsIgnoreCase("and") || plain.equalsIgnoreCase("or") || plain.equals(",")) {
        add(Kind.SYMBOL, "and", start);
      } else if (plain.length() == 1 && isAsciiLetter(plain.charAt(0))) {
        add(plain.equals("e") ? Kind.CONSTANT : Kind.IDENT, plain, start);
      } else if (!plain.isEmpty()) {
        add(Kind.TEXT, plain, start);
      }
    }

    private String braced() {
      while (i < s.length() && s.charAt(i) == ' ') {
        i++;
      }
      if (i >= s.length() || s.charAt(i) != '{') {
        throw new UnparseableAnswerException("expected { after a command");
      }
      int depth = 0;
      for (int j = i; j < s.length(); j++) {
        char c = s.charAt(j);
        if (c == '{') {
          depth++;
        } else if (c == '}' && --depth == 0) {
          String content = s.substring(i + 1, j);
          i = j + 1;
          return content;
        }
      }
      throw new UnparseableAnswerException("unbalanced braces");
    }
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Recursive descent over the tokens of one answer. */
  private static final class Parser {
    private static final Pattern LABEL = Pattern.compile(
        "[A-Za-z](?:_\\{?[A-Za-z0-9]+\\}?)?'*(?:\\^\\{?-1\\}?)?\\s*\\([^()]*\\)|\\([A-Za-z](?:\\s*,\\s*[A-Za-z])+\\)");
    /** Names of lengths and ratios: {@code PQ}, {@code |PQ|}, {@code P:Q}, {@code V_a : V_b}. */
    private static final String NAME = "\\|?(?:[A-Z]{2,4}|[A-Za-z](?:_\\{?[A-Za-z0-9]+\\}?)?'*)\\|?";
    private static final Pattern NAMED = Pattern.compile(NAME + "(?:\\s*:\\s*" + NAME + ")*");
    private static final Pattern MULTI_LETTER = Pattern.compile("\\|?[A-Z]{2,4}\\|?|.*:.*");

    private final String source;
    private final List<Token> tokens;
    private final Deadline deadline;
    private int pos;
    private int depth;
    private int absDepth;

    Parser(String source, List<Token> tokens, Deadline deadline) {
      this.source = source;
      this.tokens = new ArrayList<>(tokens);
      this.deadline = deadline;
    }

    MathAnswer answer() {
      if (isText()) {
        StringBuilder text = new StringBuilder();
        for (Token t : tokens) {
          if (t.kind() != Kind.EOF) {
            text.append(
                t.kind() == Kind.TEXT || t.kind() == Kind.WORD ? t.text() : source.substring(t.start(), t.end()))
                .append(' ');
          }
        }
        return new Text(text.toString().strip());
      }
      List<MathAnswer> items = itemList();
      if (peek().kind() != Kind.EOF) {
        throw new UnparseableAnswerException("unexpected '" + peek().text() + "' in the answer");
      }
      return items.size() == 1 ? items.get(0) : new Collection(items, false);
    }

    /** Only words: a text answer such as {@code \text{circle}} or {@code Monday}. */
    private boolean isText() {
      Token first = tokens.get(0);
      if (first.kind() != Kind.TEXT && first.kind() != Kind.WORD) {
        return false;
      }
      for (Token t : tokens) {
        if (t.kind() == Kind.NUMBER || t.kind() == Kind.COMMAND || t.kind() == Kind.FUNCTION || t.is("=")) {
          return false;
        }
      }
      return true;
    }

    private List<MathAnswer> itemList() {
      List<MathAnswer> items = new ArrayList<>();
      addExpanded(items, item());
      while (peek().is(",") || peek().is(";") || peek().is("and")) {
        next();
        while (peek().is("and")) {
          next();
        }
        addExpanded(items, item());
      }
      return items;
    }

    /** {@code a \pm b} is the two answers {@code a + b} and {@code a - b}. */
    private static void addExpanded(List<MathAnswer> items, MathAnswer item) {
      if (item instanceof Scalar scalar && containsPlusMinus(scalar.expr())) {
        items.add(new Scalar(withSign(scalar.expr(), true), scalar.percent()));
        items.add(new Scalar(withSign(scalar.expr(), false), scalar.percent()));
      } else if (item instanceof Labelled labelled && labelled.value() instanceof Scalar scalar
          && containsPlusMinus(scalar.expr())) {
        items.add(new Labelled(labelled.label(), new Scalar(withSign(scalar.expr(), true), false)));
        items.add(new Labelled(labelled.label(), new Scalar(withSign(scalar.expr(), false), false)));
      } else {
        items.add(item);
      }
    }

    private static boolean containsPlusMinus(MathExpr e) {
      if (e instanceof Binary b) {
        return b.op() == Operator.PLUS_MINUS || containsPlusMinus(b.left()) || containsPlusMinus(b.right());
      }
      if (e instanceof Negation n) {
        return containsPlusMinus(n.operand());
      }
      return e instanceof Call c && c.args().stream().anyMatch(Parser::containsPlusMinus);
    }

    private static MathExpr withSign(MathExpr e, boolean plus) {
      if (e instanceof Binary b) {
        return new Binary(b.op() == Operator.PLUS_MINUS ? (plus ? Operator.ADD : Operator.SUBTRACT) : b.op(),
            withSign(b.left(), plus), withSign(b.right(), plus));
      }
      if (e instanceof Negation n) {
        return new Negation(withSign(n.operand(), plus));
      }
      if (e instanceof Call c) {
        return new Call(c.function(), c.args().stream().map(a -> withSign(a, plus)).toList());
      }
      return e;
    }

    private MathAnswer item() {
      enter();
      try {
        int startChar = peek().start();
        MathAnswer first = operand();
        if (peek().is("in")) {
          next();
          if (!(first instanceof Scalar s && s.expr() instanceof Variable v)) {
            throw new UnparseableAnswerException("\\in needs a variable on its left");
          }
          return new Membership(v.name(), operand());
        }
        if (!isRelation(peek())) {
          return first;
        }
        String lhsText = source.substring(startChar, previous().end()).strip();
        List<MathAnswer> sides = new ArrayList<>(List.of(first));
        List<Relation> relations = new ArrayList<>();
        while (isRelation(peek())) {
          relations.add(relation(next()));
          sides.add(operand());
        }
        boolean labelShaped = first instanceof Scalar s && s.expr() instanceof Variable && !s.percent()
            || LABEL.matcher(lhsText).matches()
            || NAMED.matcher(lhsText).matches() && MULTI_LETTER.matcher(lhsText).matches();
        if (relations.size() == 1 && relations.get(0) == Relation.EQ && labelShaped) {
          return new Labelled(
              first instanceof Scalar s && s.expr() instanceof Variable v ? v.name() : lhsText.replace(" ", ""),
              sides.get(1));
        }
        List<MathExpr> exprs = new ArrayList<>();
        for (MathAnswer side : sides) {
          if (!(side instanceof Scalar s) || s.percent()) {
            throw new UnparseableAnswerException("a relation between non-numbers");
          }
          exprs.add(s.expr());
        }
        return new Relations(exprs, relations);
      } finally {
        depth--;
      }
    }

    private static boolean isRelation(Token t) {
      return t.is("=") || t.is("<") || t.is(">") || t.is("<=") || t.is(">=") || t.is("!=");
    }

    private static Relation relation(Token t) {
      return switch (t.text()) {
        case "=" -> Relation.EQ;
        case "<" -> Relation.LT;
        case ">" -> Relation.GT;
        case "<=" -> Relation.LE;
        case ">=" -> Relation.GE;
        default -> Relation.NE;
      };
    }

    private MathAnswer operand() {
      MathAnswer first = single();
      if (!peek().is("cup")) {
        return first;
      }
      List<MathAnswer> parts = new ArrayList<>(List.of(first));
      while (peek().is("cup")) {
        next();
        parts.add(single());
      }
      return new Union(parts);
    }

    private MathAnswer single() {
      Token t = peek();
      if (t.is("\\{")) {
        next();
        List<MathAnswer> items = peek().is("\\}") ? List.of() : itemList();
        expect("\\}");
        return new Collection(items, true);
      }
      if (t.kind() == Kind.CONSTANT && t.text().equals("emptyset")) {
        next();
        return new Collection(List.of(), true);
      }
      if (t.kind() == Kind.CONSTANT && t.text().equals("reals")) {
        next();
        return new Bracketed('(', List.of(new Scalar(new Negation(new Constant("infinity")), false),
            new Scalar(new Constant("infinity"), false)), ')');
      }
      if (t.kind() == Kind.BEGIN) {
        return matrix();
      }
      if (t.kind() == Kind.TEXT || t.kind() == Kind.WORD) {
        next();
        return new Text(t.text());
      }
      if (t.is("{") && hasTopLevelComma()) {
        next(); // {2, 5}: a set written without the backslashes
        List<MathAnswer> items = itemList();
        expect("}");
        return new Collection(items, true);
      }
      if ((t.is("(") || t.is("[")) && hasTopLevelComma()) {
        next();
        List<MathAnswer> items = new ArrayList<>();
        items.add(item());
        while (peek().is(",")) {
          next();
          items.add(item());
        }
        if (!(peek().is(")") || peek().is("]"))) {
          throw new UnparseableAnswerException("expected ')' or ']' but found '" + peek().text() + "'");
        }
        char close = next().text().charAt(0);
        return new Bracketed(t.text().charAt(0), items, close);
      }
      MathExpr expr = expression();
      boolean percent = false;
      if (peek().is("%")) {
        next();
        percent = true;
      }
      skipUnits();
      if (!percent && peek().is(":")) {
        next(); // a ratio a:b is the value a/b
        MathExpr right = expression();
        skipUnits();
        return new Scalar(new Binary(Operator.DIVIDE, expr, right), false);
      }
      return new Scalar(expr, percent);
    }

    /** Whether the bracket at the current token holds a comma at its own level: a tuple or an interval, not a group. */
    private boolean hasTopLevelComma() {
      int level = 0;
      for (int k = pos; k < tokens.size(); k++) {
        Token t = tokens.get(k);
        if (t.is("(") || t.is("[") || t.is("{") || t.is("\\{")) {
          level++;
        } else if (t.is(")") || t.is("]") || t.is("}") || t.is("\\}")) {
          if (--level == 0) {
            return false;
          }
        } else if (level == 1 && t.is(",")) {
          return true;
        } else if (t.kind() == Kind.EOF) {
          return false;
        }
      }
      return false;
    }

    private MathAnswer matrix() {
      Token begin = next();
      if (!MATRICES.contains(begin.text())) {
        throw new UnparseableAnswerException("unsupported environment " + begin.text());
      }
      if (begin.text().equals("array") && peek().is("{")) {
        while (!next().is("}")) {
          if (peek().kind() == Kind.EOF) {
            throw new UnparseableAnswerException("unbalanced array column specification");
          }
        }
      }
      List<List<MathExpr>> rows = new ArrayList<>();
      List<MathExpr> row = new ArrayList<>();
      while (peek().kind() != Kind.END) {
        if (peek().kind() == Kind.EOF) {
          throw new UnparseableAnswerException("\\begin{" + begin.text() + "} without \\end");
        }
        row.add(expression());
        if (peek().is("&")) {
          next();
        } else if (peek().is("\\\\")) {
          next();
          rows.add(row);
          row = new ArrayList<>();
        } else if (peek().kind() != Kind.END) {
          throw new UnparseableAnswerException("unexpected '" + peek().text() + "' in a matrix");
        }
      }
      next();
      if (!row.isEmpty()) {
        rows.add(row);
      }
      if (rows.isEmpty() || rows.stream().anyMatch(r -> r.size() != rows.get(0).size())) {
        throw new UnparseableAnswerException("a matrix with rows of different lengths");
      }
      return new Matrix(rows);
    }

    private MathExpr expression() {
      enter();
      try {
        MathExpr left = term();
        while (true) {
          if (peek().is("+")) {
            next();
            left = new Binary(Operator.ADD, left, term());
          } else if (peek().is("-")) {
            next();
            left = new Binary(Operator.SUBTRACT, left, term());
          } else if (peek().is("pm")) {
            next();
            left = new Binary(Operator.PLUS_MINUS, left, term());
          } else {
            return left;
          }
        }
      } finally {
        depth--;
      }
    }

    private MathExpr term() {
      MathExpr left = unary();
      boolean single = true;
      while (true) {
        deadline.check();
        Token t = peek();
        if (t.is("*")) {
          next();
          left = new Binary(Operator.MULTIPLY, left, unary());
        } else if (t.is("/")) {
          next();
          left = new Binary(Operator.DIVIDE, left, unary());
        } else if (startsImplicitFactor(t)) {
          MathExpr right = power();
          if (single && t.is("frac") && isMixedNumber(left, right)) {
            // 3\frac18 is three and one eighth, not three eighths.
            left = left instanceof Negation n ? new Negation(new Binary(Operator.ADD, n.operand(), right))
                : new Binary(Operator.ADD, left, right);
          } else {
            left = new Binary(Operator.MULTIPLY, left, right);
          }
        } else if ((t.kind() == Kind.TEXT || t.kind() == Kind.WORD) && isUnitPosition()) {
          skipUnits();
        } else {
          return left;
        }
        single = false;
      }
    }

    private static boolean isMixedNumber(MathExpr whole, MathExpr fraction) {
      MathExpr w = whole instanceof Negation n ? n.operand() : whole;
      return w instanceof Num n && !n.decimal() && n.value().isInteger()
          && fraction instanceof Binary b && b.op() == Operator.DIVIDE
          && b.left() instanceof Num top && !top.decimal() && top.value().isInteger()
          && b.right() instanceof Num bottom && !bottom.decimal() && bottom.value().isInteger()
          && top.value().signum() > 0 && top.value().numerator().compareTo(bottom.value().numerator()) < 0;
    }

    /** Words after a value are its unit ({@code 5 \text{ cm}^2}, {@code 12 inches}) when nothing but units follow. */
    private boolean isUnitPosition() {
      for (int k = pos; k < tokens.size(); k++) {
        Token t = tokens.get(k);
        if (t.kind() == Kind.EOF || t.is(",") || t.is(";") || t.is("and") || t.is(")") || t.is("]") || t.is("\\}")
            || isRelation(t) || t.is("%")) {
          return true;
        }
        if (!(t.kind() == Kind.TEXT || t.kind() == Kind.WORD || t.is("^") || t.is("/") || t.kind() == Kind.NUMBER
            || t.kind() == Kind.IDENT || t.is("{") || t.is("}"))) {
          return false;
        }
      }
      return true;
    }

    private void skipUnits() {
      while ((peek().kind() == Kind.TEXT || peek().kind() == Kind.WORD) && isUnitPosition()) {
        next();
        // a unit's exponent or "per" part: cm^2, m/s
        while (peek().is("^") || peek().is("/")) {
          next();
          if (peek().is("{")) {
            while (!next().is("}")) {
              if (peek().kind() == Kind.EOF) {
                return;
              }
            }
          } else if (peek().kind() != Kind.EOF) {
            next();
          }
        }
      }
    }

    private boolean startsImplicitFactor(Token t) {
      return switch (t.kind()) {
        case IDENT, FUNCTION -> true;
        case CONSTANT -> !t.text().equals("emptyset") && !t.text().equals("reals");
        case COMMAND -> t.text().equals("frac") || t.text().equals("sqrt") || t.text().equals("binom")
            || t.text().equals("lfloor") || t.text().equals("lceil");
        case SYMBOL -> t.is("(") || t.is("{") || (t.is("|") && absDepth == 0);
        default -> false;
      };
    }

    private MathExpr unary() {
      if (peek().is("pm")) {
        next(); // \pm 5 is the two answers 5 and -5
        return new Binary(Operator.PLUS_MINUS, new Num(ExactRational.ZERO, false), unary());
      }
      if (peek().is("-")) {
        next();
        return new Negation(unary());
      }
      if (peek().is("+")) {
        next();
        return unary();
      }
      return power();
    }

    private MathExpr power() {
      MathExpr base = postfix();
      if (peek().is("^")) {
        next();
        return new Binary(Operator.POWER, base, script());
      }
      return base;
    }

    /** A superscript or subscript: a braced group, or one signed atom. */
    private MathExpr script() {
      enter();
      try {
        if (peek().is("{")) {
          next();
          MathExpr e = expression();
          expect("}");
          return e;
        }
        if (peek().is("-")) {
          next();
          return new Negation(script());
        }
        MathExpr atom = postfix();
        if (peek().is("^")) {
          next();
          return new Binary(Operator.POWER, atom, script());
        }
        return atom;
      } finally {
        depth--;
      }
    }

    private MathExpr postfix() {
      MathExpr e = primary();
      while (peek().is("!") || peek().is("deg")) {
        e = next().is("!") ? new Call("factorial", List.of(e))
            : new Binary(Operator.MULTIPLY, e,
                new Binary(Operator.DIVIDE, new Constant("pi"), new Num(ExactRational.of(180), false)));
      }
      return e;
    }

    private MathExpr primary() {
      enter();
      try {
        Token t = next();
        switch (t.kind()) {
          case NUMBER -> {
            return number(t.text());
          }
          case IDENT -> {
            return variable(t.text());
          }
          case CONSTANT -> {
            if (t.text().equals("emptyset") || t.text().equals("reals")) {
              throw new UnparseableAnswerException("a set inside an expression");
            }
            return new Constant(t.text());
          }
          case FUNCTION -> {
            return function(t.text());
          }
          case COMMAND -> {
            return command(t.text());
          }
          case SYMBOL -> {
            if (t.is("(") || t.is("[") || t.is("{")) {
              MathExpr e = expression();
              expect(t.is("(") ? ")" : t.is("[") ? "]" : "}");
              return e;
            }
            if (t.is("|")) {
              absDepth++;
              MathExpr e = expression();
              expect("|");
              absDepth--;
              return new Call("abs", List.of(e));
            }
            throw new UnparseableAnswerException("unexpected '" + t.text() + "'");
          }
          case WORD, TEXT -> throw new UnparseableAnswerException("words in the answer: '" + t.text() + "'");
          default -> throw new UnparseableAnswerException("unexpected " + t.text());
        }
      } finally {
        depth--;
      }
    }

    private MathExpr variable(String name) {
      String full = name;
      if (peek().is("_")) {
        next();
        if (peek().is("{")) {
          StringBuilder sub = new StringBuilder();
          next();
          while (!peek().is("}")) {
            if (peek().kind() == Kind.EOF) {
              throw new UnparseableAnswerException("unbalanced subscript");
            }
            sub.append(next().text());
          }
          next();
          full = name + "_" + sub;
        } else {
          full = name + "_" + firstCharacterOf(next());
        }
      }
      while (peek().is("'")) {
        next();
        full += "'";
      }
      return new Variable(full);
    }

    /** The first character of a token, leaving the rest as the next token ({@code \frac12}, {@code x_12}). */
    private String firstCharacterOf(Token t) {
      if (t.kind() == Kind.NUMBER && t.text().length() > 1 && Character.isDigit(t.text().charAt(0))) {
        tokens.add(pos, new Token(Kind.NUMBER, t.text().substring(1), t.start() + 1, t.end()));
        return t.text().substring(0, 1);
      }
      return t.text();
    }

    private static MathExpr number(String text) {
      try {
        BigDecimal value = new BigDecimal(text);
        boolean decimal = text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0;
        if (Math.abs(value.scale()) > 10_000) {
          throw new UnparseableAnswerException("number out of range: " + text);
        }
        int point = text.indexOf('.');
        boolean plain = point >= 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        return new Num(ExactRational.ofDecimal(value), decimal, plain ? text.length() - point - 1 : -1);
      } catch (NumberFormatException e) {
        throw new UnparseableAnswerException("not a number: " + text);
      }
    }

    /** A command argument: a braced group or a single token, of which only the first digit ({@code \frac12}). */
    private MathExpr argument() {
      if (peek().is("{")) {
        next();
        MathExpr e = expression();
        expect("}");
        return e;
      }
      Token t = peek();
      if (t.kind() == Kind.NUMBER) {
        next();
        return number(firstCharacterOf(t));
      }
      return primary();
    }

    private MathExpr command(String name) {
      switch (name) {
        case "frac" -> {
          MathExpr top = argument();
          return new Binary(Operator.DIVIDE, top, argument());
        }
        case "sqrt" -> {
          if (peek().is("[")) {
            next();
            MathExpr order = expression();
            expect("]");
            return new Call("root", List.of(argument(), order));
          }
          return new Call("sqrt", List.of(argument()));
        }
        case "binom" -> {
          MathExpr n = argument();
          return new Call("binom", List.of(n, argument()));
        }
        case "lfloor", "lceil" -> {
          MathExpr e = expression();
          expect(name.equals("lfloor") ? "rfloor" : "rceil");
          return new Call(name.equals("lfloor") ? "floor" : "ceil", List.of(e));
        }
        default -> throw new UnparseableAnswerException("unexpected \\" + name);
      }
    }

    /** {@code \sin^2 x}, {@code \sin^{-1}(x)}, {@code \log_2 8}, {@code \sin 2x}, {@code \ln(x+1)}. */
    private MathExpr function(String name) {
      MathExpr exponent = null;
      MathExpr base = null;
      boolean inverse = false;
      while (peek().is("^") || peek().is("_")) {
        boolean superscript = next().is("^");
        MathExpr script = script();
        if (!superscript) {
          base = script;
        } else if (script instanceof Negation n && n.operand() instanceof Num one
            && one.value().equals(ExactRational.ONE)) {
          inverse = true;
        } else {
          exponent = script;
        }
      }
      MathExpr arg;
      if (peek().is("(") || peek().is("{")) {
        String close = next().is("(") ? ")" : "}";
        arg = expression();
        expect(close);
      } else {
        arg = power();
        while (peek().kind() == Kind.IDENT || (peek().kind() == Kind.CONSTANT && !peek().text().equals("emptyset"))) {
          arg = new Binary(Operator.MULTIPLY, arg, power());
        }
      }
      String fn = inverse ? "arc" + name : name;
      if (inverse && !Set.of("arcsin", "arccos", "arctan").contains(fn)) {
        throw new UnparseableAnswerException("unsupported inverse \\" + name + "^{-1}");
      }
      MathExpr call = switch (fn) {
        case "log10" -> new Call("log", List.of(arg, new Num(ExactRational.of(10), false)));
        case "log" -> base == null ? new Call("log", List.of(arg)) : new Call("log", List.of(arg, base));
        case "arcsec" ->
          new Call("arccos", List.of(new Binary(Operator.DIVIDE, new Num(ExactRational.ONE, false), arg)));
        case "arccsc" ->
          new Call("arcsin", List.of(new Binary(Operator.DIVIDE, new Num(ExactRational.ONE, false), arg)));
        default -> new Call(fn, List.of(arg));
      };
      return exponent == null ? call : new Binary(Operator.POWER, call, exponent);
    }

    private void enter() {
      if (++depth > MAX_DEPTH) {
        throw UnparseableAnswerException.limit("nesting deeper than " + MAX_DEPTH);
      }
      deadline.check();
    }

    private Token peek() {
      return tokens.get(pos);
    }

    private Token previous() {
      return tokens.get(Math.max(0, pos - 1));
    }

    private Token next() {
      Token t = tokens.get(pos);
      if (t.kind() != Kind.EOF) {
        pos++;
      }
      return t;
    }

    private void expect(String symbol) {
      Token t = next();
      if (!t.is(symbol)) {
        throw new UnparseableAnswerException("expected '" + symbol + "' but found '" + t.text() + "'");
      }
    }
  }
}
