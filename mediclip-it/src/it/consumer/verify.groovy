// The README's application ran, trained, predicted, evaluated and saved, and printed no warning.
def log = new File(basedir, 'build.log').text
assert log.contains('image AUROC') : 'the README example did not finish'
assert new File(basedir, 'target/out/detector/manifest.json').isFile() : 'no saved detector'
def noise = log.readLines().findAll { line ->
  line.contains('SLF4J(W)') || line.contains(' WARN ') || line.startsWith('[W') || line.contains('Warning:')
}
assert noise.isEmpty() : "the README example printed warnings:\n" + noise.join('\n')
return true
