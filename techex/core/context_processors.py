from .operator import operator as get_operator


def operator(request):
    return {"operator": get_operator()}
