# Compiles the shipped calendar files (DIR/*.json) into OUT, the definition
# of kefu::ShippedCalendars() (calendar/shipped_calendars.h).
file(GLOB FILES "${DIR}/*.json")
list(SORT FILES)
set(arrays "")
set(entries "")
set(index 0)
foreach(path IN LISTS FILES)
  get_filename_component(id "${path}" NAME_WE)
  file(READ "${path}" content HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
  string(APPEND arrays "const unsigned char kFile${index}[] = {${bytes} 0};\n")
  string(APPEND entries "    {\"${id}\", {reinterpret_cast<const char*>(kFile${index}), sizeof(kFile${index}) - 1}},\n")
  math(EXPR index "${index} + 1")
endforeach()
file(WRITE "${OUT}.tmp" "#include \"calendar/shipped_calendars.h\"\n#include <array>\nnamespace kefu {\nnamespace {\n${arrays}"
  "const std::array<ShippedCalendar, ${index}> kCalendars = {{\n${entries}}};\n}  // namespace\n"
  "std::span<const ShippedCalendar> ShippedCalendars() { return kCalendars; }\n}  // namespace kefu\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
