namespace NodeDsl.Generators.Parsing;

/// <summary>
/// Translates a rate or energy body (C# syntax) into the IR. Locals are inlined (the IR is a DAG; the emitters
/// find shared sub-expressions again by value equality). Anything outside the DSL becomes a diagnostic and null.
/// </summary>
internal sealed class ExpressionTranslator(
    SemanticModel semantic, INamedTypeSymbol modelType, ModelMembers members, DiagnosticBag diagnostics, CancellationToken cancellation)
{
    static readonly Dictionary<string, Fn> DslFunctions = new()
    {
        ["Sin"] = Fn.Sin, ["Cos"] = Fn.Cos, ["Tan"] = Fn.Tan, ["Sinh"] = Fn.Sinh, ["Cosh"] = Fn.Cosh, ["Tanh"] = Fn.Tanh,
        ["Exp"] = Fn.Exp, ["Log"] = Fn.Log, ["Sqrt"] = Fn.Sqrt, ["Abs"] = Fn.Abs, ["Sign"] = Fn.Sign, ["Square"] = Fn.Square,
        ["Pow"] = Fn.Pow, ["Sigmoid"] = Fn.Sigmoid, ["Softplus"] = Fn.Softplus, ["Relu"] = Fn.Relu, ["Sum"] = Fn.Sum,
    };

    // System.Math functions with the same meaning as the DSL's, accepted for doubles.
    static readonly HashSet<string> SystemMathFunctions = new() { "Sin", "Cos", "Tan", "Sinh", "Cosh", "Tanh", "Exp", "Log", "Sqrt", "Abs", "Pow" };

    readonly Dictionary<string, Value> locals = new();

    readonly List<NetworkUse> uses = new();

    readonly Dictionary<Expr, SyntaxNode> origins = new(Units.ByReference.Instance);

    /// <summary>
    /// Translates a block or expression body: the value it returns (null after reporting) and the network calls met on
    /// the way, even when translation stopped at an error (shape inference still reports networks that are never called).
    /// </summary>
    public BodyTranslation TranslateBody(SyntaxNode body)
    {
        locals.Clear();
        uses.Clear();
        origins.Clear();
        var value = TranslateBodyValue(body);
        return new BodyTranslation(value, uses.ToList(), new Dictionary<Expr, SyntaxNode>(origins, Units.ByReference.Instance));
    }

    Value? TranslateBodyValue(SyntaxNode body)
    {
        switch (body)
        {
            case ArrowExpressionClauseSyntax arrow:
                return Translate(arrow.Expression);
            case ExpressionSyntax expression:
                return Translate(expression);
            case BlockSyntax block:
                return TranslateBlock(block);
            default:
                diagnostics.Add(DiagnosticDescriptors.UnsupportedConstruct, body, "This kind of body");
                return null;
        }
    }

    Value? TranslateBlock(BlockSyntax block)
    {
        Value? result = null;
        for (int i = 0; i < block.Statements.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var statement = block.Statements[i];
            switch (statement)
            {
                case LocalDeclarationStatementSyntax local when !local.UsingKeyword.IsKind(SyntaxKind.UsingKeyword):
                    if (!DeclareLocals(local.Declaration)) return null;   // later uses would only repeat the error
                    break;
                case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }
                    when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && IsDeconstructionTarget(assignment.Left):
                    if (!Deconstruct(assignment)) return null;
                    break;
                case ReturnStatementSyntax { Expression: { } expression } when i == block.Statements.Count - 1:
                    result = Translate(expression);
                    break;
                case ReturnStatementSyntax ret:
                    diagnostics.Add(DiagnosticDescriptors.UnsupportedConstruct, ret, "A 'return' before the end of the body");
                    return null;
                default:
                    diagnostics.Add(DiagnosticDescriptors.UnsupportedConstruct, statement, Describe(statement));
                    return null;
            }
        }
        if (result is null && !diagnostics.HasErrors)
            diagnostics.Add(DiagnosticDescriptors.UnsupportedConstruct, block, "A body without a final 'return'");
        return result;
    }

    static bool IsDeconstructionTarget(ExpressionSyntax left)
        => left is DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax }
           || left is TupleExpressionSyntax tuple && tuple.Arguments.All(a => a.Expression is DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax or DiscardDesignationSyntax });

    bool DeclareLocals(VariableDeclarationSyntax declaration)
    {
        foreach (var variable in declaration.Variables)
        {
            if (variable.Initializer is null)
            {
                diagnostics.Add(DiagnosticDescriptors.UnsupportedConstruct, variable, "A local without an initial value");
                return false;
            }
            var value = Translate(variable.Initializer.Value);
            if (value is null || !DefineLocal(variable.Identifier, value)) return false;
        }
        return true;
    }

    bool DefineLocal(SyntaxToken identifier, Value value)
    {
        var name = identifier.ValueText;
        if (members.Fields.ContainsKey(name) || members.Networks.ContainsKey(name))
        {
            diagnostics.Add(DiagnosticDescriptors.NameClash, identifier, name, "a model member of the same name (a local would hide it)");
            return false;
        }
        locals[name] = value;
        return true;
    }

    bool Deconstruct(AssignmentExpressionSyntax assignment)
    {
        var names = assignment.Left switch
        {
            DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax p } => p.Variables.Select(Designated).ToList(),
            TupleExpressionSyntax t => t.Arguments.Select(a => Designated(((DeclarationExpressionSyntax)a.Expression).Designation)).ToList(),
            _ => new List<SyntaxToken?>(),
        };
        var value = Translate(assignment.Right);
        if (value is null) return false;
        if (value is not TupleValue tuple || tuple.Elements.Count != names.Count)
        {
            diagnostics.Add(DiagnosticDescriptors.UnsupportedConstruct, assignment, "Deconstructing a value that is not a tuple of the same length");
            return false;
        }
        for (int i = 0; i < names.Count; i++)
            if (names[i] is { } token && !DefineLocal(token, new ExprValue(tuple.Elements[i])))
                return false;
        return true;
    }

    static SyntaxToken? Designated(VariableDesignationSyntax designation)
        => designation is SingleVariableDesignationSyntax single ? single.Identifier : null;

    /// <summary>Translates one expression and records where each new IR node was written (the innermost syntax wins).</summary>
    Value? Translate(ExpressionSyntax syntax)
    {
        var value = TranslateUnrecorded(syntax);
        if (value is ExprValue { Expr: var e } && !origins.ContainsKey(e)) origins[e] = syntax;
        return value;
    }

    Value? TranslateUnrecorded(ExpressionSyntax syntax)
    {
        cancellation.ThrowIfCancellationRequested();
        if (syntax is not TupleExpressionSyntax && semantic.GetConstantValue(syntax, cancellation) is { HasValue: true, Value: { } constant }
            && constant is not string and not bool and not char)
            return new ExprValue(new Literal(Convert.ToDouble(constant, CultureInfo.InvariantCulture)));

        switch (syntax)
        {
            case ParenthesizedExpressionSyntax p:
                return Translate(p.Expression);
            case CastExpressionSyntax cast when SymbolNames.IsDouble(semantic.GetTypeInfo(cast.Type, cancellation).Type):
                return Translate(cast.Expression);
            case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryMinusExpression):
                return Map(Translate(u.Operand), e => new Negate(e));
            case PrefixUnaryExpressionSyntax u when u.IsKind(SyntaxKind.UnaryPlusExpression):
                return Translate(u.Operand);
            case BinaryExpressionSyntax b when ToBinaryOp(b.Kind()) is { } op:
                return TranslateBinary(b, op);
            case IdentifierNameSyntax identifier:
                return TranslateIdentifier(identifier);
            case MemberAccessExpressionSyntax member:
                return TranslateMemberAccess(member);
            case InvocationExpressionSyntax invocation:
                return TranslateInvocation(invocation);
            case ElementAccessExpressionSyntax element:
                return TranslateElementAccess(element);
            case TupleExpressionSyntax tuple:
                return TranslateTuple(tuple);
            default:
                diagnostics.Add(DiagnosticDescriptors.UnsupportedConstruct, syntax, Describe(syntax));
                return null;
        }
    }

    /// <summary>Translates an expression that must be a scalar or vector (not a tuple).</summary>
    Expr? TranslateExpr(ExpressionSyntax syntax)
    {
        var value = Translate(syntax);
        if (value is null) return null;
        if (value is ExprValue ev) return ev.Expr;
        diagnostics.Add(DiagnosticDescriptors.UnsupportedConstruct, syntax, "A tuple used as a number");
        return null;
    }

    static Value? Map(Value? value, Func<Expr, Expr> f) => value is ExprValue ev ? new ExprValue(f(ev.Expr)) : null;

    static BinaryOp? ToBinaryOp(SyntaxKind kind) => kind switch
    {
        SyntaxKind.AddExpression => BinaryOp.Add,
        SyntaxKind.SubtractExpression => BinaryOp.Subtract,
        SyntaxKind.MultiplyExpression => BinaryOp.Multiply,
        SyntaxKind.DivideExpression => BinaryOp.Divide,
        _ => null,
    };

    Value? TranslateBinary(BinaryExpressionSyntax b, BinaryOp op)
    {
        var left = TranslateExpr(b.Left);
        var right = TranslateExpr(b.Right);
        if (left is null || right is null) return null;
        if (left.IsVector && right.IsVector && left.Width != right.Width)
        {
            diagnostics.Add(DiagnosticDescriptors.SizeMismatch, b,
                $"'{b.Left}' has {left.Width} components but '{b.Right}' has {right.Width}; elementwise operations need equal sizes");
            return null;
        }
        return new ExprValue(new Binary(op, left, right));
    }

    Value? TranslateIdentifier(IdentifierNameSyntax identifier)
    {
        var name = identifier.Identifier.ValueText;
        var symbol = semantic.GetSymbolInfo(identifier, cancellation).Symbol;
        if (symbol is ILocalSymbol && locals.TryGetValue(name, out var local)) return local;
        if (symbol is IFieldSymbol field) return TranslateField(field, identifier);
        if (symbol is null && locals.TryGetValue(name, out var unbound)) return unbound;
        string why = symbol switch
        {
            null => "it is not declared",
            IFieldSymbol or IPropertySymbol => "only fields of the model marked [State], [Constant], [Learnable], [Input] or [Time] can be used",
            IParameterSymbol => "rate bodies take no parameters; use the model's fields",
            ILocalSymbol => "only locals declared with an initial value in the body can be used",
            _ => $"it is a {symbol.Kind.ToString().ToLowerInvariant()}",
        };
        diagnostics.Add(DiagnosticDescriptors.UnknownIdentifier, identifier, name, why);
        return null;
    }

    Value? TranslateField(IFieldSymbol field, SyntaxNode at)
    {
        if (SymbolEqualityComparer.Default.Equals(field.ContainingType, modelType) && members.Fields.TryGetValue(field.Name, out var member))
            return new ExprValue(member.ConstantValue is { } c ? new Literal(c) : new Ref(member.Kind, member.Name, member.Shape));
        diagnostics.Add(DiagnosticDescriptors.UnknownIdentifier, at, field.Name,
            "mark the field [State], [Constant], [Learnable], [Input] or [Time] to use it in rates");
        return null;
    }

    Value? TranslateMemberAccess(MemberAccessExpressionSyntax member)
    {
        if (member.Expression is ThisExpressionSyntax)
        {
            var symbol = semantic.GetSymbolInfo(member, cancellation).Symbol;
            if (symbol is IFieldSymbol field) return TranslateField(field, member);
            diagnostics.Add(DiagnosticDescriptors.UnknownIdentifier, member.Name, member.Name.Identifier.ValueText,
                "only fields of the model marked [State], [Constant], [Learnable], [Input] or [Time] can be used");
            return null;
        }
        var target = semantic.GetSymbolInfo(member.Expression, cancellation).Symbol;
        if (target is ILocalSymbol && member.Expression is IdentifierNameSyntax local && locals.TryGetValue(local.Identifier.ValueText, out var value)
            && value is TupleValue tuple)
        {
            var name = member.Name.Identifier.ValueText;
            for (int i = 0; i < tuple.Elements.Count; i++)
                if (tuple.Names[i] == name || name == "Item" + (i + 1).ToString(CultureInfo.InvariantCulture))
                    return new ExprValue(tuple.Elements[i]);
            diagnostics.Add(DiagnosticDescriptors.UnknownIdentifier, member.Name, name, $"the tuple '{local.Identifier.ValueText}' has no element of that name");
            return null;
        }
        var accessed = semantic.GetSymbolInfo(member, cancellation).Symbol;
        if (accessed is IFieldSymbol f && f.IsStatic is false && SymbolEqualityComparer.Default.Equals(f.ContainingType, modelType))
            return TranslateField(f, member);
        diagnostics.Add(DiagnosticDescriptors.UnsupportedConstruct, member, $"Member access '{member}'");
        return null;
    }

    Value? TranslateTuple(TupleExpressionSyntax tuple)
    {
        var elements = new List<Expr>();
        foreach (var argument in tuple.Arguments)
        {
            var e = TranslateExpr(argument.Expression);
            if (e is null) return null;
            elements.Add(e);
        }
        return new TupleValue(elements, tuple.Arguments.Select(a => a.NameColon?.Name.Identifier.ValueText).ToList());
    }

    Value? TranslateElementAccess(ElementAccessExpressionSyntax access)
    {
        var source = TranslateExpr(access.Expression);
        if (source is null) return null;
        if (!source.IsVector || access.ArgumentList.Arguments.Count != 1)
        {
            diagnostics.Add(DiagnosticDescriptors.UnsupportedConstruct, access, "Indexing anything but a Vec with one index");
            return null;
        }
        var argument = access.ArgumentList.Arguments[0].Expression;
        if (argument is RangeExpressionSyntax range)
        {
            int? start = range.LeftOperand is null ? 0 : IndexValue(range.LeftOperand, source.Width);
            int? end = range.RightOperand is null ? source.Width : IndexValue(range.RightOperand, source.Width);
            if (start is null || end is null) return null;
            if (start < 0 || end > source.Width || start >= end)
            {
                diagnostics.Add(DiagnosticDescriptors.SizeMismatch, access, $"range {start}..{end} is empty or outside a Vec of {source.Width} components");
                return null;
            }
            return new ExprValue(new Slice(source, start.Value, end.Value - start.Value, false));
        }
        var index = IndexValue(argument, source.Width);
        if (index is null) return null;
        if (index < 0 || index >= source.Width)
        {
            diagnostics.Add(DiagnosticDescriptors.SizeMismatch, access, $"index {index} is outside a Vec of {source.Width} components");
            return null;
        }
        return new ExprValue(new Slice(source, index.Value, 1, true));
    }

    int? IndexValue(ExpressionSyntax syntax, int size)
    {
        bool fromEnd = false;
        if (syntax is PrefixUnaryExpressionSyntax hat && hat.IsKind(SyntaxKind.IndexExpression))
        {
            fromEnd = true;
            syntax = hat.Operand;
        }
        if (semantic.GetConstantValue(syntax, cancellation) is { HasValue: true, Value: int i })
            return fromEnd ? size - i : i;
        diagnostics.Add(DiagnosticDescriptors.UnsupportedConstruct, syntax, "An index that is not a constant integer");
        return null;
    }

    Value? TranslateInvocation(InvocationExpressionSyntax invocation)
    {
        var info = semantic.GetSymbolInfo(invocation, cancellation);
        var method = info.Symbol as IMethodSymbol;
        var calledName = invocation.Expression switch
        {
            IdentifierNameSyntax id => id.Identifier.ValueText,
            MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
            _ => invocation.Expression.ToString(),
        };
        if (method is null)
        {
            var candidate = info.CandidateSymbols.OfType<IMethodSymbol>().FirstOrDefault(m => IsNeural(m));
            if (candidate is not null || (members.Networks.ContainsKey(calledName) && invocation.Expression is IdentifierNameSyntax))
            {
                var decl = members.Networks[candidate?.Name ?? calledName];
                diagnostics.Add(DiagnosticDescriptors.NeuralArguments, invocation, decl.Method.Name,
                    NeuralArgumentCheck.Signature(decl.Method), new NeuralArgumentCheck(semantic, cancellation).Mismatch(invocation.ArgumentList, decl.Method));
                return null;
            }
            diagnostics.Add(DiagnosticDescriptors.UnknownIdentifier, invocation.Expression, calledName, "no method of that name and these arguments is visible");
            return null;
        }
        if (IsNeural(method)) return TranslateNeuralCall(invocation, members.Networks[method.Name]);

        var container = SymbolNames.FullName(method.ContainingType);
        var args = new List<Expr>();
        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            var e = TranslateExpr(argument.Expression);
            if (e is null) return null;
            args.Add(e);
        }
        if (container == SymbolNames.Vec && method.Name is "Of" or "Concat")
            return new ExprValue(new Concat(args.ToEquatableArray()));
        bool dsl = container == SymbolNames.DslMath && (DslFunctions.ContainsKey(method.Name) || method.Name == "Dot") && AllDslTypes(method);
        bool system = container == "System.Math" && SystemMathFunctions.Contains(method.Name) && AllDslTypes(method)
                      && !(method.Name == "Log" && args.Count != 1);
        if (!dsl && !system)
        {
            diagnostics.Add(DiagnosticDescriptors.UnsupportedCall, invocation, container.Length > 0 ? container + "." + method.Name : method.Name);
            return null;
        }
        if (method.Name == "Dot")
            return CheckSizes(invocation, args) ? new ExprValue(new Call(Fn.Sum, EquatableArray.Of<Expr>(new Binary(BinaryOp.Multiply, args[0], args[1])))) : null;
        if (args.Count == 2 && !CheckSizes(invocation, args)) return null;
        return new ExprValue(new Call(DslFunctions[method.Name], args.ToEquatableArray()));
    }

    // Sign(double) returns int, as System.Math.Sign does.
    static bool AllDslTypes(IMethodSymbol method)
        => method.Parameters.All(p => SymbolNames.IsDouble(p.Type) || SymbolNames.IsVec(p.Type))
           && (SymbolNames.IsDouble(method.ReturnType) || SymbolNames.IsVec(method.ReturnType)
               || method.Name == "Sign" && method.ReturnType.SpecialType == SpecialType.System_Int32);

    bool CheckSizes(InvocationExpressionSyntax at, List<Expr> args)
    {
        if (args[0].IsVector && args[1].IsVector && args[0].Width != args[1].Width)
        {
            diagnostics.Add(DiagnosticDescriptors.SizeMismatch, at, $"the arguments have {args[0].Width} and {args[1].Width} components");
            return false;
        }
        return true;
    }

    bool IsNeural(IMethodSymbol method)
        => SymbolEqualityComparer.Default.Equals(method.ContainingType, modelType) && members.Networks.ContainsKey(method.Name);

    Value? TranslateNeuralCall(InvocationExpressionSyntax invocation, NeuralDeclaration decl)
    {
        var parameters = decl.Method.Parameters;
        var check = new NeuralArgumentCheck(semantic, cancellation);
        // C# bound the call, so named arguments name parameters; the network takes them in declaration order.
        var arguments = check.InDeclarationOrder(invocation.ArgumentList, decl.Method);
        if (arguments is null)
        {
            diagnostics.Add(DiagnosticDescriptors.NeuralArguments, invocation, decl.Method.Name,
                NeuralArgumentCheck.Signature(decl.Method), check.Mismatch(invocation.ArgumentList, decl.Method));
            return null;
        }
        var args = new List<Expr>();
        for (int i = 0; i < arguments.Length; i++)
        {
            var e = TranslateExpr(arguments[i].Expression);
            if (e is null) return null;
            if (SymbolNames.IsVec(parameters[i].Type) != e.IsVector)
            {
                diagnostics.Add(DiagnosticDescriptors.NeuralArguments, arguments[i], decl.Method.Name, NeuralArgumentCheck.Signature(decl.Method),
                    NeuralArgumentCheck.TypeMismatch(arguments[i].Expression.ToString(), e.IsVector ? "Vec" : "double", parameters[i]));
                return null;
            }
            args.Add(e);
        }
        // Vec sizes are checked across calls afterwards, by shape inference (NetworkShapes).
        uses.Add(new NetworkUse(decl.Method.Name, args.Select(a => a.Shape).ToList(), arguments.Select(a => a.GetLocation()).ToList()));
        var outputSize = decl.OutputSize(args.Sum(a => a.Width));
        var call = new NeuralCall(decl.Method.Name, args.ToEquatableArray(), outputSize);
        return decl.Returns switch
        {
            NetworkReturn.Double => new ExprValue(new Slice(call, 0, 1, true)),
            NetworkReturn.Vector => new ExprValue(call),
            _ => new TupleValue(Enumerable.Range(0, outputSize).Select(k => (Expr)new Slice(call, k, 1, true)).ToList(), decl.TupleNames.ToList()),
        };
    }

    static string Describe(SyntaxNode node) => node switch
    {
        IfStatementSyntax => "An 'if' statement",
        ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax => "A loop",
        ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax a } => $"Assignment to '{a.Left}'",
        ExpressionStatementSyntax { Expression: PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax } => "An increment or decrement",
        ExpressionStatementSyntax => "An expression statement",
        AssignmentExpressionSyntax a => $"Assignment to '{a.Left}'",
        ConditionalExpressionSyntax => "A conditional expression ('?:')",
        ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax => "Creating an object ('new')",
        LambdaExpressionSyntax => "A lambda",
        BinaryExpressionSyntax b => $"The operator '{b.OperatorToken.ValueText}'",
        PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => "This unary operator",
        SwitchStatementSyntax or SwitchExpressionSyntax => "A switch",
        TryStatementSyntax or ThrowStatementSyntax or ThrowExpressionSyntax => "Exception handling",
        LocalFunctionStatementSyntax => "A local function",
        _ => $"'{node.Kind()}'",
    };
}
