# embed.awk - turns files into C string constants, so the seatlock binary
# carries its migrations, function files and demo assets wherever it is
# installed.
# Usage: awk -v array=NAME -f core/embed.awk FILE...  > out.c
function flush_file() {
	if (cur == "")
		return
	printf "\t\"\";\n"
	names[n] = cur
	n++
}
BEGIN { n = 0; cur = "" }
FNR == 1 {
	flush_file()
	cur = FILENAME
	sub(/.*\//, "", cur)
	printf "static const char %s_%d[] =\n", array, n
}
{
	# Character by character: gsub's backslash rules differ between awks.
	line = ""
	for (i = 1; i <= length($0); i++) {
		c = substr($0, i, 1)
		if (c == "\\" || c == "\"" || c == "?")
			line = line "\\" c
		else if (c == "\t")
			line = line "\\t"
		else if (c == "\r")
			line = line "\\r"
		else
			line = line c
	}
	printf "\t\"%s\\n\"\n", line
}
END {
	flush_file()
	printf "const struct sl_embedded %s[] = {\n", array
	for (i = 0; i < n; i++)
		printf "\t{ \"%s\", %s_%d, sizeof %s_%d - 1 },\n", names[i], array, i, array, i
	printf "\t{ NULL, NULL, 0 }\n};\n"
}
