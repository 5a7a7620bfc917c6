// The namespaces nearly every file of the generator uses, once.
global using System;
global using System.Collections.Generic;
global using System.Globalization;
global using System.Linq;
global using System.Threading;
global using Microsoft.CodeAnalysis;
global using Microsoft.CodeAnalysis.CSharp;
global using Microsoft.CodeAnalysis.CSharp.Syntax;
global using NodeDsl.Generators.Diagnostics;
global using NodeDsl.Generators.Model;
