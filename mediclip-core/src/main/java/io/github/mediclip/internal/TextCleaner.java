package io.github.mediclip.internal;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's text cleaning ({@code basic_clean} + {@code whitespace_clean} + lower-casing) without
 * ftfy.
 *
 * <p>CLIP runs {@code ftfy.fix_text}, then {@code html.unescape} twice, strips, collapses
 * whitespace runs to one space and lower-cases. Here: the parts of ftfy that change well-formed
 * text (NFC, curly quotes to straight ones, Latin ligatures, full-width ASCII forms, C0/C1 control
 * characters removed), HTML unescaping twice (numeric references and the common named entities),
 * Unicode whitespace collapsed, {@link Locale#ROOT} lower-casing. ftfy's mojibake repair is not
 * reproduced.
 */
public final class TextCleaner {

  private static final Pattern WHITESPACE =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern ENTITY =
      Pattern.compile("&(#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};)");

  /** The named HTML entities recognized (the common subset of HTML5's table). */
  private static final Map<String, String> NAMED =
      Map.ofEntries(
          Map.entry("amp", "&"),
          Map.entry("lt", "<"),
          Map.entry("gt", ">"),
          Map.entry("quot", "\""),
          Map.entry("apos", "'"),
          Map.entry("nbsp", "\u00a0"),
          Map.entry("copy", "\u00a9"),
          Map.entry("reg", "\u00ae"),
          Map.entry("trade", "\u2122"),
          Map.entry("deg", "\u00b0"),
          Map.entry("plusmn", "\u00b1"),
          Map.entry("micro", "\u00b5"),
          Map.entry("middot", "\u00b7"),
          Map.entry("times", "\u00d7"),
          Map.entry("divide", "\u00f7"),
          Map.entry("ndash", "\u2013"),
          Map.entry("mdash", "\u2014"),
          Map.entry("lsquo", "\u2018"),
          Map.entry("rsquo", "\u2019"),
          Map.entry("ldquo", "\u201c"),
          Map.entry("rdquo", "\u201d"),
          Map.entry("hellip", "\u2026"),
          Map.entry("euro", "\u20ac"),
          Map.entry("pound", "\u00a3"),
          Map.entry("yen", "\u00a5"),
          Map.entry("cent", "\u00a2"),
          Map.entry("sect", "\u00a7"),
          Map.entry("para", "\u00b6"),
          Map.entry("laquo", "\u00ab"),
          Map.entry("raquo", "\u00bb"),
          Map.entry("le", "\u2264"),
          Map.entry("ge", "\u2265"),
          Map.entry("ne", "\u2260"),
          Map.entry("alpha", "\u03b1"),
          Map.entry("beta", "\u03b2"),
          Map.entry("gamma", "\u03b3"),
          Map.entry("delta", "\u03b4"),
          Map.entry("mu", "\u03bc"),
          Map.entry("sup2", "\u00b2"),
          Map.entry("sup3", "\u00b3"),
          Map.entry("frac12", "\u00bd"),
          Map.entry("frac14", "\u00bc"),
          Map.entry("frac34", "\u00be"));

  private TextCleaner() {}

  /**
   * Cleans text as CLIP's tokenizer does before splitting.
   *
   * @param text raw text
   * @return cleaned, whitespace-collapsed, lower-cased text
   */
  public static String clipClean(String text) {
    String s = fixText(text);
    s = htmlUnescape(htmlUnescape(s));
    s = WHITESPACE.matcher(s).replaceAll(" ").strip();
    return s.toLowerCase(Locale.ROOT);
  }

  /** The subset of ftfy.fix_text that matters for well-formed input. */
  static String fixText(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\u2018':
        case '\u2019':
        case '\u201a':
        case '\u201b':
          sb.append('\'');
          break;
        case '\u201c':
        case '\u201d':
        case '\u201e':
        case '\u201f':
          sb.append('"');
          break;
        case '\ufb00':
          sb.append("ff");
          break;
        case '\ufb01':
          sb.append("fi");
          break;
        case '\ufb02':
          sb.append("fl");
          break;
        case '\ufb03':
          sb.append("ffi");
          break;
        case '\ufb04':
          sb.append("ffl");
          break;
        case '\ufb05':
        case '\ufb06':
          sb.append("st");
          break;
        case '\u3000':
          sb.append(' ');
          break;
        default:
          if (c >= '\uff01' && c <= '\uff5e') {
            sb.append((char) (c - 0xfee0)); // full-width ASCII forms
          } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x0b)
              || c == 0x7f
              || (c >= 0x80 && c < 0xa0 && c != 0x85)) {
            // ftfy removes control characters
          } else {
            sb.append(c);
          }
      }
    }
    return Normalizer.normalize(sb, Normalizer.Form.NFC);
  }

  /**
   * Replaces HTML character references: decimal and hexadecimal numeric references and the named
   * entities of {@link #NAMED}; unknown names stay as they are.
   *
   * @param s text
   * @return unescaped text
   */
  public static String htmlUnescape(String s) {
    if (s.indexOf('&') < 0) {
      return s;
    }
    Matcher m = ENTITY.matcher(s);
    StringBuilder sb = new StringBuilder(s.length());
    while (m.find()) {
      String body = m.group(1);
      String rep = null;
      if (body.startsWith("#")) {
        String digits =
            body.endsWith(";") ? body.substring(1, body.length() - 1) : body.substring(1);
        int cp;
        if (digits.startsWith("x") || digits.startsWith("X")) {
          cp = Integer.parseInt(digits.substring(1), 16);
        } else {
          cp = Integer.parseInt(digits);
        }
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          rep = "\ufffd";
        } else {
          rep = new String(Character.toChars(cp));
        }
      } else {
        rep = NAMED.get(body.substring(0, body.length() - 1));
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(rep != null ? rep : m.group()));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
