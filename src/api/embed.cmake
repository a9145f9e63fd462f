# Turns a text file into a C++ definition: kefu::api::OpenApiDocument().
file(READ "${IN}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE "${OUT}" "#include <string_view>\nnamespace kefu::api {\nstatic const unsigned char kDoc[] = {${bytes} 0};\n"
  "std::string_view OpenApiDocument() { return {reinterpret_cast<const char*>(kDoc), sizeof(kDoc) - 1}; }\n}\n")
